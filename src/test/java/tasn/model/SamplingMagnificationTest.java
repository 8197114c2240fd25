package tasn.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler's peak zoom as a number (TASN.md, "The attention sampler"). */
class SamplingMagnificationTest {

    @Test
    void uniformMapGivesExactlyOneOnBothAxes() {
        int[][] cases = {{512, 224, 5}, {32, 16, 5}, {5, 5, 0}, {7, 19, 1}};
        for (int[] c : cases) {
            for (double value : new double[]{1.0, 0.37}) {
                INDArray map = Nd4j.valueArrayOf(new long[]{1, 1, c[0], c[0]}, value, DataType.DOUBLE);
                SamplingMagnification.Peaks peaks = SamplingMagnification.of(map, c[1], c[2], 4.0);
                String what = "R " + c[0] + ", S " + c[1] + ", iterations " + c[2] + ", value " + value;
                assertEquals(1.0, peaks.rows(), 1e-9, what);
                assertEquals(1.0, peaks.columns(), 1e-9, what);
            }
        }
        // an all-zero map is sampled as a plain resize too
        SamplingMagnification.Peaks zero = SamplingMagnification.of(Nd4j.zeros(DataType.FLOAT, 16, 16), 8, 5, 4.0);
        assertEquals(1.0, zero.rows(), 1e-9);
        assertEquals(1.0, zero.columns(), 1e-9);
    }

    /**
     * R = 5, S = 5, no flattening; row 2 holds 4, every other pixel 1. By hand (TASN.md steps
     * 1-4): a(y) = [1, 1, 4, 1, 1] (max over x), scaled to sum 5: [5/8, 5/8, 5/2, 5/8, 5/8];
     * F = [0, 5/8, 25/8, 30/8, 35/8] (F(0) = 0); t_i = i * (35/8) / 4 = 0, 35/32, 70/32, 105/32,
     * 140/32; inverse CDF: rows = 0, 2 - (100/32 - 35/32) / (5/2) = 19/16,
     * 2 - (100/32 - 70/32) / (5/2) = 13/8, 3 - (120/32 - 105/32) / (5/8) = 9/4, 4. Steps
     * 19/16, 7/16, 5/8, 7/4; the uniform step is (5 - 1) / (5 - 1) = 1, so the peak row
     * magnification is 1 / (7/16) = 16/7. b(x) = 4 everywhere (max over y): uniform, so 1.
     */
    @Test
    void aBandOfHighRowsMagnifiesTheRowsBySixteenSeventhsAndTheColumnsNotAtAll() {
        INDArray map = Nd4j.ones(DataType.DOUBLE, 1, 1, 5, 5);
        map.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.point(2), NDArrayIndex.all()).assign(4.0);
        SamplingMagnification.Peaks peaks = SamplingMagnification.of(map, 5, 0, 4.0);
        assertEquals(16.0 / 7.0, peaks.rows(), 1e-12);
        assertEquals(1.0, peaks.columns(), 1e-9);
        // the (R, R) form gives the same
        SamplingMagnification.Peaks plain = SamplingMagnification.of(map.reshape(5, 5), 5, 0, 4.0);
        assertEquals(peaks, plain);
    }

    /**
     * A band of rows leaves the column marginal flat, and flattening clips both marginals at the
     * flatter one's peak (AttentionGrid's note): unflattened the band is strongly magnified; after
     * the reference's 5 iterations only a trace is left, but still more than 1, and the columns
     * stay at exactly 1 either way.
     */
    @Test
    void aCentralBandOfRowsMagnifiesTheRowsOnlyAndFlatteningAgainstFlatColumnsShrinksIt() {
        int r = 64;
        INDArray map = Nd4j.valueArrayOf(new long[]{1, 1, r, r}, 0.1, DataType.DOUBLE);
        map.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.interval(24, 40), NDArrayIndex.all())
                .assign(1.0);
        SamplingMagnification.Peaks unflattened = SamplingMagnification.of(map, 32, 0, AttentionSampler.DEFAULT_DENSE);
        SamplingMagnification.Peaks reference = SamplingMagnification.of(map, 32, AttentionSampler.DEFAULT_ITERATIONS,
                AttentionSampler.DEFAULT_DENSE);
        assertTrue(unflattened.rows() > 2.5, "rows unflattened: " + unflattened.rows());
        assertTrue(reference.rows() > 1 + 1e-3 && reference.rows() < 1.1, "rows flattened: " + reference.rows());
        assertEquals(1.0, unflattened.columns(), 1e-9);
        assertEquals(1.0, reference.columns(), 1e-9);
    }

    @Test
    void aMapRaisedToAHigherPowerMagnifiesMore() {
        int r = 64;
        INDArray bump = Nd4j.zeros(DataType.DOUBLE, 1, 1, r, r);
        double sigma = 20;
        for (int y = 0; y < r; y++) {
            for (int x = 0; x < r; x++) {
                double dy = y - 40, dx = x - 25;
                bump.putScalar(new long[]{0, 0, y, x}, Math.exp(-(dy * dy + 0.5 * dx * dx) / (2 * sigma * sigma)));
            }
        }
        for (int iterations : new int[]{0, AttentionSampler.DEFAULT_ITERATIONS}) {
            SamplingMagnification.Peaks previous = null;
            for (double power : new double[]{1, 2, 4}) {
                SamplingMagnification.Peaks peaks = SamplingMagnification.of(Transforms.pow(bump, power, true), 32,
                        iterations, AttentionSampler.DEFAULT_DENSE);
                assertTrue(peaks.rows() > 1 && peaks.columns() > 1, power + ": " + peaks);
                if (previous != null) {
                    assertTrue(peaks.rows() > previous.rows() + 1e-3, "rows at power " + power + ": " + peaks
                            + " after " + previous + " (iterations " + iterations + ")");
                    assertTrue(peaks.columns() > previous.columns() + 1e-3, "columns at power " + power + ": "
                            + peaks + " after " + previous + " (iterations " + iterations + ")");
                }
                previous = peaks;
            }
        }
    }

    /**
     * The figure is the sampler's own grid: sample ramps (pixel value = its row, = its column)
     * through the AttentionSampler vertex, read the source rows and columns off the output, and
     * compute the peak from them by the definition; maps with negative values included.
     */
    @Test
    void matchesTheGridTheSamplerVertexActuallySamples() {
        int r = 24;
        int s = 12;
        AttentionSampler sampler = new AttentionSampler(s, AttentionSampler.DEFAULT_ITERATIONS, 2.0);
        ComputationGraph graph = TinyGraphs.around(sampler, InputType.convolutional(r, r, 2),
                InputType.convolutional(r, r, 1));
        INDArray ramps = Nd4j.zeros(DataType.DOUBLE, 1, 2, r, r);
        for (int y = 0; y < r; y++) {
            for (int x = 0; x < r; x++) {
                ramps.putScalar(new long[]{0, 0, y, x}, y);
                ramps.putScalar(new long[]{0, 1, y, x}, x);
            }
        }
        Nd4j.getRandom().setSeed(17);
        for (int trial = 0; trial < 6; trial++) {
            INDArray map = Transforms.pow(Nd4j.rand(DataType.DOUBLE, 1, 1, r, r), 3 + trial, false)
                    .subi(trial % 2 == 0 ? 0.0 : 0.05);
            INDArray out = TinyGraphs.run(graph, false, ramps, map);
            double[] rows = new double[s];
            double[] columns = new double[s];
            for (int i = 0; i < s; i++) {
                rows[i] = out.getDouble(0, 0, i, 0);
                columns[i] = out.getDouble(0, 1, 0, i);
            }
            SamplingMagnification.Peaks peaks = SamplingMagnification.of(map, s, AttentionSampler.DEFAULT_ITERATIONS, 2.0);
            assertEquals(byDefinition(rows, r), peaks.rows(), 1e-6, "rows, trial " + trial);
            assertEquals(byDefinition(columns, r), peaks.columns(), 1e-6, "columns, trial " + trial);
            assertTrue(peaks.rows() > 1.01 || peaks.columns() > 1.01, "the trial map zooms: " + peaks);
        }
    }

    @Test
    void rejectsMapsThatAreNotOneSquareMapAndBadSamplerSettings() {
        assertThrows(IllegalArgumentException.class,
                () -> SamplingMagnification.of(Nd4j.ones(DataType.DOUBLE, 2, 1, 4, 4), 4, 5, 4.0));
        assertThrows(IllegalArgumentException.class,
                () -> SamplingMagnification.of(Nd4j.ones(DataType.DOUBLE, 1, 1, 4, 5), 4, 5, 4.0));
        assertThrows(IllegalArgumentException.class,
                () -> SamplingMagnification.of(Nd4j.ones(DataType.DOUBLE, 4), 4, 5, 4.0));
        assertThrows(IllegalArgumentException.class,
                () -> SamplingMagnification.of(Nd4j.ones(DataType.DOUBLE, 4, 4), 1, 5, 4.0));
        assertThrows(IllegalArgumentException.class,
                () -> SamplingMagnification.of(Nd4j.ones(DataType.DOUBLE, 4, 4), 4, -1, 4.0));
        assertThrows(IllegalArgumentException.class,
                () -> SamplingMagnification.of(Nd4j.ones(DataType.DOUBLE, 4, 4), 4, 5, 0.0));
    }

    /** Uniform step (L - 1) / (S - 1) over each local step, maximised. */
    private static double byDefinition(double[] positions, int length) {
        double uniform = (length - 1.0) / (positions.length - 1);
        double peak = 0;
        for (int i = 0; i + 1 < positions.length; i++) {
            peak = Math.max(peak, uniform / (positions[i + 1] - positions[i]));
        }
        return peak;
    }
}
