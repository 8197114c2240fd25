package tasn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasn.config.ConfigLoader;
import tasn.config.ModelConfig;
import tasn.model.SavedModel;
import tasn.model.TasnGraph;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

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
    void inspectReadsASavedModelWithoutItsConfigFile(@TempDir Path dir) throws Exception {
        ModelConfig m = ConfigLoader.load("tiny", List.of("model.num-classes=3")).model();
        File file = dir.resolve("model.zip").toFile();
        SavedModel.save(file, TasnGraph.build(m), m, null, false);
        String out = run(0, "inspect", "--model", file.getPath());
        assertTrue(out.contains("TASN") && out.contains("3 classes") && out.contains("head_distillation"), out);
        run(2, "inspect", "--model", dir.resolve("missing.zip").toString());
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
