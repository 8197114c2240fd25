package tasn.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bilinear sampling on a separable grid (TASN.md, "The attention sampler", step 5): output pixel
 * (i, k) samples the source point (col_k, row_i). Bilinear interpolation at such a grid is two
 * matrix products per channel, {@code out_c = Wy . X_c . Wx^T}, where row i of Wy holds the
 * (at most two) interpolation weights of source row {@code row_i}, and Wx likewise for columns.
 * An align-corners bilinear resize is the special case of evenly spaced rows and columns.
 */
final class SeparableSampling {

    private SeparableSampling() {
    }

    /** Align-corners source positions of {@code outSize} pixels over {@code inSize} pixels: i (in-1)/(out-1). */
    static double[] alignCornersPositions(int outSize, int inSize) {
        double[] positions = new double[outSize];
        if (outSize == 1) {
            return positions; // a single output pixel samples the first source pixel
        }
        for (int i = 0; i < outSize; i++) {
            positions[i] = (double) i * (inSize - 1) / (outSize - 1);
        }
        return positions;
    }

    /**
     * Interpolation weights as a (positions x size) matrix of the given type, one row per source
     * position: position p puts weight 1 - f on pixel floor(p) and f on floor(p) + 1
     * (f = p - floor(p)); pixels outside 0..size-1 contribute zero (the sampler's "zeros
     * outside the image").
     */
    static INDArray weightMatrix(double[] positions, int size, DataType dataType) {
        double[] weights = new double[positions.length * size]; // row-major
        for (int i = 0; i < positions.length; i++) {
            double p = positions[i];
            int lower = (int) Math.floor(p);
            double f = p - lower;
            if (lower >= 0 && lower < size) {
                weights[i * size + lower] += 1.0 - f;
            }
            if (lower + 1 >= 0 && lower + 1 < size && f != 0.0) {
                weights[i * size + lower + 1] += f;
            }
        }
        return Nd4j.create(weights, new long[] {positions.length, size}, 'c').castTo(dataType);
    }

    /**
     * out[n, c] = wy . x[n, c] . wx^T for a whole batch: x (N, C, H, W), wy (S, H), wx (T, W) give
     * (N, C, S, T). Two large matrix products: first every row of every map against wx^T, then
     * wy against all maps at once (the maps laid side by side, H x (N C T)).
     */
    static INDArray sample(INDArray x, INDArray wy, INDArray wx) {
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        long s = wy.size(0), t = wx.size(0);
        if (wy.size(1) != h || wx.size(1) != w) {
            throw new IllegalArgumentException("weights " + wy.shapeInfoToString() + " / " + wx.shapeInfoToString()
                    + " do not match maps of " + h + " x " + w);
        }
        INDArray columnsSampled = x.reshape('c', n * c * h, w).mmul(wx.transpose());        // (N C H, T)
        INDArray sideBySide = columnsSampled.reshape('c', n * c, h, t).permute(1, 0, 2)
                .dup('c').reshape('c', h, n * c * t);                                         // (H, N C T)
        INDArray rowsSampled = wy.mmul(sideBySide);                                           // (S, N C T)
        return rowsSampled.reshape('c', s, n * c, t).permute(1, 0, 2).dup('c').reshape('c', n, c, s, t);
    }
}
