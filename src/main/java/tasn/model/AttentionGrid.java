package tasn.model;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The attention sampler's grid for one map (TASN.md, "The attention sampler", steps 1-4): from
 * the map's marginals, the source row of every output row and the source column of every output
 * column, in map pixels. Pure arithmetic on two short vectors ({@link #ofMaps} takes step 1's
 * marginals of a batch of maps first); the sampling itself is {@link SeparableSampling}, and
 * {@link SamplingMagnification} measures how far a grid departs from a plain resize.
 *
 * <p>Our choices where the reference differs (TASN.md): the inverse CDF divides by S - 1 (the
 * reference divides by S) and searches from j = 1 (the reference reads F(-1) at t = 0). With
 * them a uniform map gives exactly an align-corners bilinear resize. The price: the first and
 * last output rows and columns sample the image's border rows and columns, however peaked the
 * attention (whenever the density is positive at both ends, which flattening ensures as soon as
 * it clips anything).
 *
 * <p>Note on flattening: T = min(max a, max b) clips both marginals at the flatter one's peak.
 * A map attending to a band (one half, say) has one flat marginal, so after 5 iterations the
 * other is nearly flat too: at R 512, S 224 only 116 of 224 rows go to the attended half.
 *
 * <p>Numerical edge cases: negative map values count as zero (a density cannot be negative);
 * a marginal whose sum is zero (an all-zero map) or not finite is treated as uniform, and the
 * sampler treats a map holding any NaN or infinite value as all-zero; in those cases it
 * performs a plain align-corners resize. It never produces NaN.
 */
final class AttentionGrid {

    /** Source rows (from a(y)) and source columns (from b(x)), each of length S, in map pixels. */
    final double[] rows;
    final double[] columns;

    private AttentionGrid(double[] rows, double[] columns) {
        this.rows = rows;
        this.columns = columns;
    }

    /**
     * The grid of every map of a batch (N, 1, Rm, Rm), as the sampler uses them: step 1's
     * marginals a(y) = max over x and b(x) = max over y, a map holding any NaN or infinite value
     * treated as all-zero, then {@link #of}. The caller checks the shape.
     */
    static AttentionGrid[] ofMaps(INDArray maps, int outputSize, int iterations, double dense) {
        long n = maps.size(0);
        long mapSize = maps.size(2);
        // Step 1 marginals, for the whole batch: a(y) = max over x, b(x) = max over y.
        double[][] rowMarginals = maps.max(3).reshape(n, mapSize).toDoubleMatrix();
        double[][] columnMarginals = maps.max(2).reshape(n, mapSize).toDoubleMatrix();
        // ND4J's max skips NaN, so look for non-finite values through the sum: such a map is
        // treated as all-zero, that is as uniform (see "Numerical edge cases" above).
        double[] totals = maps.sum(1, 2, 3).reshape(n).toDoubleVector();
        AttentionGrid[] grids = new AttentionGrid[(int) n];
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(totals[i])) {
                Arrays.fill(rowMarginals[i], 0.0);
                Arrays.fill(columnMarginals[i], 0.0);
            }
            grids[i] = of(rowMarginals[i], columnMarginals[i], outputSize, iterations, dense);
        }
        return grids;
    }

    /**
     * @param rowMarginal    a(y) = max over x of the map, unnormalised
     * @param columnMarginal b(x) = max over y of the map, unnormalised (same length as a)
     * @param outputSize     S
     * @param iterations     peak-flattening iterations (5 in the reference)
     * @param dense          the largest magnification, relative to uniform, that the first
     *                       iteration allows (4 in the reference; see {@link #flatten})
     */
    static AttentionGrid of(double[] rowMarginal, double[] columnMarginal, int outputSize, int iterations,
                            double dense) {
        if (rowMarginal.length != columnMarginal.length) {
            throw new IllegalArgumentException("the attention map must be square, got marginals of "
                    + rowMarginal.length + " and " + columnMarginal.length);
        }
        double[] a = toOutputDensity(rowMarginal, outputSize);
        double[] b = toOutputDensity(columnMarginal, outputSize);
        flatten(a, b, outputSize, iterations, dense);
        return new AttentionGrid(inverseCdf(a, outputSize), inverseCdf(b, outputSize));
    }

    /** Steps 1-2: divide by the sum and scale by S, so the result sums to S. */
    static double[] toOutputDensity(double[] marginal, int outputSize) {
        int length = marginal.length;
        double[] density = new double[length];
        double sum = 0;
        for (int i = 0; i < length; i++) {
            density[i] = Math.max(marginal[i], 0.0); // NaN stays NaN and makes the sum non-finite
            sum += density[i];
        }
        boolean degenerate = !(sum > 0) || !Double.isFinite(sum);
        for (int i = 0; i < length; i++) {
            density[i] = degenerate ? (double) outputSize / length : density[i] / sum * outputSize;
        }
        return density;
    }

    /**
     * Step 3, in place: {@code iterations} rounds of T = min(max a, max b) (in the first round
     * also at most the reference's scale * dense * in / att, which is dense * S / L for a map of
     * length L: dense times the uniform density), clip both at T, then spread the clipped mass
     * evenly: a += (S - sum a) / L, b likewise.
     */
    static void flatten(double[] a, double[] b, int outputSize, int iterations, double dense) {
        int length = a.length;
        double firstCap = dense * outputSize / length;
        for (int iteration = 0; iteration < iterations; iteration++) {
            double cap = Math.min(max(a), max(b));
            if (iteration == 0) {
                cap = Math.min(cap, firstCap);
            }
            clipAndSpread(a, cap, outputSize);
            clipAndSpread(b, cap, outputSize);
        }
    }

    private static void clipAndSpread(double[] density, double cap, int outputSize) {
        double sum = 0;
        for (int i = 0; i < density.length; i++) {
            density[i] = Math.min(density[i], cap);
            sum += density[i];
        }
        double spread = (outputSize - sum) / density.length;
        for (int i = 0; i < density.length; i++) {
            density[i] += spread;
        }
    }

    /**
     * Step 4: F(0) = 0, F(j) = F(j-1) + a(j); output i in 0..S-1 goes to t = i F(L-1) / (S-1)
     * and to the first j >= 1 with F(j) >= t, at p = j - (F(j) - t) / (F(j) - F(j-1)).
     * (Only at t = 0 can F(j) - F(j-1) be zero, at j = 1; the limit there is p = 0.)
     */
    static double[] inverseCdf(double[] a, int outputSize) {
        int length = a.length;
        double[] cdf = new double[length];
        for (int j = 1; j < length; j++) {
            cdf[j] = cdf[j - 1] + a[j];
        }
        double total = cdf[length - 1];
        double[] positions = new double[outputSize];
        int j = 1;
        for (int i = 0; i < outputSize; i++) {
            double t = outputSize == 1 ? 0.0 : i == outputSize - 1 ? total : i * total / (outputSize - 1);
            while (j < length - 1 && cdf[j] < t) {
                j++;
            }
            double step = cdf[j] - cdf[j - 1];
            double p = step > 0 ? j - (cdf[j] - t) / step : j - 1;
            positions[i] = Math.min(Math.max(p, 0.0), length - 1);
        }
        return positions;
    }

    private static double max(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        return max;
    }
}
