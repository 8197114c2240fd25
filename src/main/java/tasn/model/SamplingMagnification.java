package tasn.model;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * How strongly the attention sampler (TASN.md, "The attention sampler") zooms under one map: the
 * peak magnification of its rows and of its columns, relative to a plain resize.
 *
 * <p>The grid is the sampler's own ({@link AttentionGrid#ofMaps}: the same marginals, the same
 * handling of negative and non-finite values, the same flattening and inverse CDF). A plain
 * align-corners resize of a map of length L to S pixels steps (L - 1) / (S - 1) source pixels
 * per output pixel; the magnification at output row i is that step divided by the grid's own
 * step rows[i+1] - rows[i], and the peak is the largest over i (columns likewise). A uniform
 * map gives 1; a broad map, one whose views are almost a plain resize, gives little more.
 * Measured in map pixels, which is the same figure in image pixels: the sampler scales map
 * positions to the image linearly.
 *
 * <p>Since the grid starts at 0 and ends at most at L - 1, its smallest step is at most the
 * uniform one, so the peak is at least 1 (up to rounding). It is infinite only when the grid
 * collapses onto one point: all of a marginal's mass on its first pixel (which the inverse CDF
 * skips), with flattening clipping none of it to spread over the others.
 */
public final class SamplingMagnification {

    /** Peak magnification of the sampled rows (from a(y)) and of the sampled columns (from b(x)). */
    public record Peaks(double rows, double columns) {
    }

    private SamplingMagnification() {
    }

    /**
     * @param map        one attention map, (1, 1, R, R) or (R, R), R >= 2
     * @param outputSize the sampler's output size S (ModelConfig.sampledSize(), at least 2)
     * @param iterations peak-flattening iterations (ModelConfig.samplerIterations(), at least 0)
     * @param dense      first-iteration magnification bound (ModelConfig.samplerDense(), positive)
     */
    public static Peaks of(INDArray map, int outputSize, int iterations, double dense) {
        AttentionSampler.requireSettings("SamplingMagnification", outputSize, iterations, dense);
        long[] shape = map.shape();
        boolean plain = shape.length == 2;
        boolean single = shape.length == 4 && shape[0] == 1 && shape[1] == 1;
        if (!(plain || single) || shape[shape.length - 1] != shape[shape.length - 2] || shape[shape.length - 1] < 2) {
            throw new IllegalArgumentException("the map must be (1, 1, R, R) or (R, R) with R >= 2, got "
                    + Arrays.toString(shape));
        }
        long length = shape[shape.length - 1];
        INDArray batch = plain ? map.reshape(1, 1, length, length) : map;
        AttentionGrid grid = AttentionGrid.ofMaps(batch, outputSize, iterations, dense)[0];
        return new Peaks(peak(grid.rows, length), peak(grid.columns, length));
    }

    /** The uniform step (L - 1) / (S - 1) over the smallest step of {@code positions}. */
    static double peak(double[] positions, long length) {
        double uniform = (double) (length - 1) / (positions.length - 1);
        double smallest = Double.POSITIVE_INFINITY;
        for (int i = 0; i + 1 < positions.length; i++) {
            smallest = Math.min(smallest, positions[i + 1] - positions[i]);
        }
        return smallest > 0 ? uniform / smallest : Double.POSITIVE_INFINITY;
    }
}
