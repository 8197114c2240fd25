package tasn.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairedComparisonTest {
    @TempDir
    Path dir;

    @Test
    void countsDiscordantImagesAndGivesMcNemarsExactTwoSidedP() throws IOException {
        // 14 images, true class 0: TASN alone right on 10, the baseline alone on 2, both on 1, neither on 1.
        int[] tasn = new int[14];
        int[] baseline = new int[14];
        Arrays.fill(tasn, 1);
        Arrays.fill(baseline, 1);
        for (int i = 0; i < 10; i++) {
            tasn[i] = 0;
        }
        baseline[10] = 0;
        baseline[11] = 0;
        tasn[12] = 0;
        baseline[12] = 0;
        PairedComparison c = PairedComparison.of(predictions("tasn.csv", tasn, -1), predictions("base.csv", baseline, -1));

        assertEquals(new PairedComparison(14, 1, 10, 2, 1), c);
        assertEquals(11.0 / 14, c.firstTop1(), 1e-12);
        assertEquals(3.0 / 14, c.secondTop1(), 1e-12);
        // 2 P(X <= 2), X ~ Binomial(12, 1/2) = 2 (1 + 12 + 66) / 4096
        assertEquals(158.0 / 4096, c.mcNemarP(), 1e-12);
        // The order of the models does not change the two-sided p.
        assertEquals(c.mcNemarP(), PairedComparison.of(predictions("base.csv", baseline, -1),
                predictions("tasn.csv", tasn, -1)).mcNemarP(), 1e-12);
    }

    @Test
    void equalModelsGiveAPOfOne() throws IOException {
        int[] same = {0, 1, 0, 2};
        assertEquals(1.0, PairedComparison.of(predictions("a.csv", same, -1), predictions("b.csv", same, -1)).mcNemarP());
    }

    @Test
    void refusesPredictionsOfDifferentImagesOrAnUnscoredImageNamingTheFile() throws IOException {
        Path a = predictions("a.csv", new int[]{0, 0, 0}, -1);
        Path b = predictions("b.csv", new int[]{0, 0}, -1);
        IOException different = assertThrows(IOException.class, () -> PairedComparison.of(a, b));
        assertTrue(different.getMessage().contains("do not hold the same images"), different.getMessage());

        Path unscored = predictions("c.csv", new int[]{0, 0, 0}, 1);
        IOException failed = assertThrows(IOException.class, () -> PairedComparison.of(a, unscored));
        assertTrue(failed.getMessage().startsWith(unscored.toString()) && failed.getMessage().contains("img-1"),
                failed.getMessage());
    }

    /** A predictions.csv in the score job's columns: image i has label 0 and the given prediction; one row may be a decode failure. */
    private Path predictions(String name, int[] predicted, int failedRow) throws IOException {
        return PredictionsCsvFixture.write(dir.resolve(name), 0, predicted, failedRow);
    }
}
