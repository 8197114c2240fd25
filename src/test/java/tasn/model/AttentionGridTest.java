package tasn.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler's grid on its own: marginals in, source rows and columns out. */
class AttentionGridTest {

    private static int below(double[] positions, double limit) {
        return (int) Arrays.stream(positions).filter(p -> p < limit).count();
    }

    @Test
    void gridIsMonotoneAndSpansTheWholeMapForRandomMarginals() {
        Random random = new Random(8);
        for (int trial = 0; trial < 50; trial++) {
            double[] a = random.doubles(64).map(v -> Math.pow(v, 6)).toArray();
            double[] b = random.doubles(64).map(v -> Math.pow(v, 6)).toArray();
            a[random.nextInt(64)] = 0; // zeros inside the marginal are allowed
            AttentionGrid grid = AttentionGrid.of(a, b, 30, 5, 4.0);
            for (double[] positions : new double[][] {grid.rows, grid.columns}) {
                assertEquals(0.0, positions[0], 1e-9);
                assertEquals(63.0, positions[29], 1e-9);
                for (int i = 1; i < positions.length; i++) {
                    assertTrue(positions[i] >= positions[i - 1] - 1e-12, "monotone: " + Arrays.toString(positions));
                }
            }
        }
    }

    @Test
    void zeroDensityAtTheEndsIsFiniteAndUnflattenedSpikesCollapse() {
        double[] a = new double[10];
        a[5] = 1; // F(1) = F(0) = 0: the 0/0 case at t = 0
        AttentionGrid unflattened = AttentionGrid.of(a, a.clone(), 6, 0, 4.0);
        assertEquals(0.0, unflattened.rows[0], 1e-12);
        // without flattening the CDF is flat after pixel 5, so the last row samples pixel 5
        assertEquals(5.0, unflattened.rows[5], 1e-12);
        assertTrue(Arrays.stream(unflattened.rows).allMatch(Double::isFinite));
        // one flattening iteration clips the spike and spreads mass everywhere: border to border
        AttentionGrid flattened = AttentionGrid.of(a, a.clone(), 6, 1, 4.0);
        assertEquals(0.0, flattened.rows[0], 1e-12);
        assertEquals(9.0, flattened.rows[5], 1e-12);
    }

    @Test
    void flatteningKeepsEachMarginalSummingToTheOutputSize() {
        double[] a = {5, 0, 0, 1, 0, 0, 0, 9};
        double[] b = {1, 1, 1, 1, 1, 1, 1, 30};
        double[] da = AttentionGrid.toOutputDensity(a, 12);
        double[] db = AttentionGrid.toOutputDensity(b, 12);
        AttentionGrid.flatten(da, db, 12, 1, 4.0);
        // the first iteration caps at dense * S / L = 6 (below both peaks, 9/15*12 and 30/37*12),
        // then spreads the clipped mass evenly
        double spreadB = (12 - 6 - 7 * 12.0 / 37) / 8;
        assertEquals(6 + spreadB, db[7], 1e-12);
        assertEquals(12.0 / 37 + spreadB, db[0], 1e-12);
        AttentionGrid.flatten(da, db, 12, 4, 4.0);
        assertEquals(12.0, Arrays.stream(da).sum(), 1e-9);
        assertEquals(12.0, Arrays.stream(db).sum(), 1e-9);
    }

    /**
     * A map attending to the top half has a flat column marginal, and T = min(max a, max b)
     * then clips the row marginal to the flat level in every iteration: after the reference's
     * 5 iterations only 116 of 224 rows go to the attended half (at R 512). Without flattening
     * all 224 do. (TASN.md's "223 of 224 rows" matches the unflattened grid.)
     */
    @Test
    void halfMapIsPulledTowardsUniformByItsFlatOtherMarginal() {
        double[] rows = new double[512];
        Arrays.fill(rows, 0, 256, 1.0);
        double[] columns = new double[512];
        Arrays.fill(columns, 1.0);
        assertEquals(116, below(AttentionGrid.of(rows, columns, 224, 5, 4.0).rows, 256));
        assertEquals(224, below(AttentionGrid.of(rows, columns, 224, 0, 4.0).rows, 256));
        // a quadrant (both marginals peaked) keeps most rows: 213 of 224
        double[] peaked = new double[512];
        Arrays.fill(peaked, 0.05);
        Arrays.fill(peaked, 0, 256, 1.0);
        assertEquals(213, below(AttentionGrid.of(peaked, peaked.clone(), 224, 5, 4.0).rows, 256));
    }
}
