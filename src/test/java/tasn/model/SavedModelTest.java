package tasn.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tasn.config.ModelConfig;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SavedModelTest {

    @Test
    void savedTasnLoadsWithItsConfigurationAndGivesIdenticalOutputs(@TempDir Path dir) throws IOException {
        ModelConfig m = TasnFixtures.tiny("model.num-classes=3", "seed=99");
        ComputationGraph graph = TasnGraph.build(m);
        // one training step, so BatchNorm statistics and weights differ from a fresh build
        TasnFixtures.Batch batch = TasnFixtures.markedSquares(4, 64, 1);
        graph.fit(TasnFixtures.tasnBatch(batch.images(), TasnFixtures.oneHot(new int[]{0, 1, 2, 1}, 3, DataType.FLOAT)));
        File file = dir.resolve("model.zip").toFile();
        SavedModel.save(file, graph, m, "name = tiny\n", true);

        SavedModel loaded = SavedModel.load(file, false);
        assertEquals(m, loaded.model());
        assertEquals("name = tiny\n", loaded.runConfig());
        assertFalse(loaded.isBaseline());
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        TasnPredictor.Prediction before = new TasnPredictor(graph).predict(images);
        TasnPredictor.Prediction after = new TasnPredictor(loaded.graph()).predict(images);
        for (String head : TasnGraph.CLASSIFIERS) {
            assertEquals(before.probabilities().get(head), after.probabilities().get(head), head);
        }
        assertEquals(before.structureMap(), after.structureMap());
        assertEquals(before.detailSample(), after.detailSample());
    }

    @Test
    void baselineSurvivesAStreamRoundTrip(@TempDir Path dir) throws IOException {
        ModelConfig m = TasnFixtures.tiny();
        ComputationGraph graph = TasnGraph.baseline(m);
        File file = dir.resolve("baseline.zip").toFile();
        try (OutputStream out = new FileOutputStream(file)) {
            SavedModel.save(out, graph, m, null, false);
        }
        SavedModel loaded;
        try (InputStream in = new FileInputStream(file)) {
            loaded = SavedModel.load(in, false);
        }
        assertTrue(loaded.isBaseline());
        assertNull(loaded.runConfig());
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        assertEquals(graph.outputSingle(images), loaded.graph().outputSingle(images));
    }

    @Test
    void aPlainDl4jZipIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        File file = dir.resolve("plain.zip").toFile();
        ModelSerializer.writeModel(TasnGraph.baseline(TasnFixtures.tiny()), file, false);
        IOException e = assertThrows(IOException.class, () -> SavedModel.load(file, false));
        assertTrue(e.getMessage().contains("plain.zip"), e.getMessage());
    }
}
