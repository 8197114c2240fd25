package tasn.score;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasn.config.ConfigLoader;
import tasn.config.TasnConfig;
import tasn.model.TasnGraph;
import tasn.model.speed.OneDnnAssertions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The executors' model cache of the score and sample jobs: one read per file and version, and
 * the model's convolutions run through oneDNN even in a JVM started without our flag.
 */
class LoadedModelsTest {

    @Test
    void anExecutorLoadsAModelOnceWithOneDnnHelpersWithoutTheJvmFlag(@TempDir Path dir) throws Exception {
        TasnConfig config = ConfigLoader.load("tiny", List.of());
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < config.model().numClasses(); i++) {
            classes.add("class" + i);
        }
        Path file = dir.resolve("model.zip");
        ModelArchive.save(file.toFile(), TasnGraph.build(config.model()), config.model(), classes, new float[]{120, 110, 100});
        Configuration hadoop = new Configuration();
        int loadsBefore = LoadedModels.loads();
        String flag = OneDnnAssertions.forgetTheFlag();
        try {
            LoadedModels.Loaded first = LoadedModels.get(ModelArchive.locate(file.toString(), hadoop, null), hadoop);
            OneDnnAssertions.assertEveryConvolutionHasAOneDnnHelper(first.archive().graph());
            assertSame(first, LoadedModels.get(ModelArchive.locate(file.toString(), hadoop, null), hadoop));
            assertEquals(loadsBefore + 1, LoadedModels.loads());
        } finally {
            OneDnnAssertions.restore(flag);
        }
    }
}
