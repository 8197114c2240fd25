package tasn.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {

    @Test
    void inspectPrintsEveryBranchAndTheTotal() {
        String out = run(0, "inspect", "--config", "tiny");
        for (String expected : new String[]{"att_head_att1", "SharedDilatedConvolution", "sample_detail", "head_distillation",
                "attention net", "attention head", "backbone", "heads", "total"}) {
            assertTrue(out.contains(expected), "missing " + expected + " in\n" + out);
        }
    }

    @Test
    void inspectBaselineHasOnlyTheMasterHead() {
        String out = run(0, "inspect", "--config", "tiny", "--baseline", "--set", "model.num-classes=7");
        assertTrue(out.contains("head_master"), out);
        assertTrue(!out.contains("head_part"), out);
        assertTrue(out.contains("7 classes"), out);
    }

    @Test
    void aBadModelKeyExitsWithTwo() {
        run(2, "inspect", "--config", "tiny", "--set", "model.backbone.block=dense");
    }

    private static String run(int expectedExit, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = TasnMain.run(args);
        } finally {
            System.setOut(saved);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, code, out);
        return out;
    }
}
