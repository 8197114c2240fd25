package tasn.train;

import org.junit.jupiter.api.Test;
import tasn.config.UsageException;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundLayoutTest {
    @Test
    void everyWorkerGetsTheSameNumberOfMinibatchesInEveryRound() {
        RoundLayout layout = RoundLayout.of(1000, 3, 8, 4);
        Map<Integer, Integer> perPartition = new HashMap<>();
        for (long b = 0; b < layout.batches(); b++) {
            perPartition.merge(layout.partitionOf(b), 1, Integer::sum);
        }
        assertEquals(layout.partitions(), perPartition.size());
        perPartition.values().forEach(n -> assertEquals(4, n));
        // partitions r*W .. r*W+W-1 hold round r, consecutive minibatches per worker
        assertEquals(0, layout.partitionOf(3));
        assertEquals(1, layout.partitionOf(4));
        assertEquals(3, layout.partitionOf(12));
    }

    @Test
    void theRemainderIsFilledByWrappingAroundLessThanOneRound() {
        RoundLayout layout = RoundLayout.of(1000, 3, 8, 4);
        assertEquals(96, layout.roundExamples());
        assertEquals(11, layout.rounds());
        assertEquals(1056, layout.paddedExamples());
        assertTrue(layout.paddedExamples() - 1000 < layout.roundExamples());
        assertEquals(44, layout.iterationsPerEpoch());
    }

    @Test
    void aDataSetSmallerThanOneRoundLowersTheAveragingFrequency() {
        RoundLayout layout = RoundLayout.of(40, 2, 8, 5);
        assertEquals(2, layout.averagingFrequency());
        assertEquals(32, layout.roundExamples());
        assertEquals(64, layout.paddedExamples());
    }

    @Test
    void aBatchLargerThanAWorkersShareIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> RoundLayout.of(15, 2, 8, 1));
        assertTrue(e.getMessage().contains("train.batch-size-per-worker = 8"), e.getMessage());
    }

    @Test
    void theEpochsCopyAndOrderAreReproducibleAndVaryWithTheEpoch() {
        assertEquals(EpochRandom.copyFor(42, 3, "abc", 5), EpochRandom.copyFor(42, 3, "abc", 5));
        int[] seen = new int[5];
        for (int epoch = 0; epoch < 200; epoch++) {
            seen[EpochRandom.copyFor(42, epoch, "abc", 5)]++;
        }
        for (int n : seen) {
            assertTrue(n > 20, "every copy is used: " + java.util.Arrays.toString(seen));
        }
        assertTrue(EpochRandom.orderKey(42, 0, "abc") != EpochRandom.orderKey(42, 1, "abc"));
    }
}
