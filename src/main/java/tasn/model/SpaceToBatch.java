package tasn.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A dilated convolution rewritten as an undilated one, by the "space to batch" identity that
 * atrous-convolution libraries use: a k x k convolution with dilation d over an image equals
 * an ordinary k x k convolution over each of the d x d interleaved sub-grids of that image
 * (rows a, a + d, a + 2d, ... and likewise columns), the results interleaved back.
 *
 * <p>For an NCHW input of H x W and a k x k kernel, "same" padding p = d (k - 1) / 2:
 * <ol>
 *   <li>{@link #pad}: zero-pad p above and left, and below and right up to d h' and d w', the
 *       least multiples of d covering H + 2p and W + 2p;</li>
 *   <li>{@link #toBatch}: (N, C, d h', d w') to (d d N, C, h', w'), sub-grid (a, b) at batch
 *       index (a d + b) N + n;</li>
 *   <li>an undilated, unpadded convolution: (d d N, C', h' - k + 1, w' - k + 1);</li>
 *   <li>{@link #fromBatch} then {@link #crop}: the first H x W of the interleaved result.</li>
 * </ol>
 * Output row r of sub-grid a reads padded rows (r + i) d + a, i = 0..k-1, centred on padded row
 * (r + 1) d + a for k = 3, which is image row r d + a: interleaving r and a gives image row
 * r d + a, as required. The backward pass runs the same steps in reverse: the output gradient is
 * padded to d (h' - k + 1) x d (w' - k + 1), batched, and the input gradient un-batched and
 * cropped out of the padding.
 *
 * <p>Why: ND4J 1.0.0-M2's oneDNN helpers cannot build a dilated convolution, so libnd4j's own
 * kernel runs those at 2-3x the time of a oneDNN one of the same size; undilated, every
 * convolution of the attention head goes through oneDNN.
 */
final class SpaceToBatch {
    private final int d;
    private final long h;
    private final long w;
    private final long pH;
    private final long pW;
    private final long subH;
    private final long subW;
    private final long outH;
    private final long outW;

    /** The rewrite of a kH x kW (odd sizes), dilation {@code d} convolution of an h x w map. */
    SpaceToBatch(int d, int kH, int kW, long h, long w) {
        if (d < 1 || kH < 1 || kW < 1 || kH % 2 == 0 || kW % 2 == 0) {
            throw new IllegalArgumentException("space to batch needs a dilation >= 1 and an odd kernel, got d="
                    + d + ", kernel " + kH + "x" + kW);
        }
        this.d = d;
        this.h = h;
        this.w = w;
        this.pH = (long) d * (kH - 1) / 2;
        this.pW = (long) d * (kW - 1) / 2;
        this.subH = ceilDiv(h + 2 * pH, d);
        this.subW = ceilDiv(w + 2 * pW, d);
        this.outH = subH - kH + 1;
        this.outW = subW - kW + 1;
    }

    /** The padded input: (N, C, d h', d w'). */
    long[] paddedShape(long n, long c) {
        return new long[]{n, c, d * subH, d * subW};
    }

    /** The padded input's sub-grids: (d d N, C, h', w'). */
    long[] inputBatchShape(long n, long c) {
        return new long[]{(long) d * d * n, c, subH, subW};
    }

    /** The undilated convolution's output: (d d N, C', h' - kH + 1, w' - kW + 1). */
    long[] outputBatchShape(long n, long c) {
        return new long[]{(long) d * d * n, c, outH, outW};
    }

    /** The interleaved output before cropping: (N, C', d (h' - kH + 1), d (w' - kW + 1)). */
    long[] paddedOutputShape(long n, long c) {
        return new long[]{n, c, d * outH, d * outW};
    }

    /** {@code x} zero-padded into {@code padded} ({@link #paddedShape}), at offset (pH, pW). */
    INDArray pad(INDArray x, INDArray padded) {
        padded.assign(0);
        cropInput(padded).assign(x);
        return padded;
    }

    /** The output gradient zero-padded into {@code padded} ({@link #paddedOutputShape}), at (0, 0). */
    INDArray padOutput(INDArray eps, INDArray padded) {
        padded.assign(0);
        crop(padded).assign(eps);
        return padded;
    }

    /** (N, C, d a, d b) to (d d N, C, a, b), written into the c-ordered {@code into}. */
    INDArray toBatch(INDArray space, INDArray into) {
        long n = space.size(0), c = space.size(1), a = space.size(2) / d, b = space.size(3) / d;
        into.reshape('c', d, d, n, c, a, b)
                .assign(space.reshape('c', n, c, a, d, b, d).permute(3, 5, 0, 1, 2, 4));
        return into;
    }

    /** (d d N, C, a, b) to (N, C, d a, d b), written into the c-ordered {@code into}: the inverse of {@link #toBatch}. */
    INDArray fromBatch(INDArray batch, INDArray into) {
        long n = batch.size(0) / ((long) d * d), c = batch.size(1), a = batch.size(2), b = batch.size(3);
        into.reshape('c', n, c, a, d, b, d)
                .assign(batch.reshape('c', d, d, n, c, a, b).permute(2, 3, 4, 0, 5, 1));
        return into;
    }

    /** The convolution's H x W output, the top-left of the un-batched result. */
    INDArray crop(INDArray space) {
        return space.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, h), NDArrayIndex.interval(0, w));
    }

    /** The image inside a padded input (or its gradient): the H x W at offset (pH, pW). */
    INDArray cropInput(INDArray paddedSpace) {
        return paddedSpace.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(pH, pH + h), NDArrayIndex.interval(pW, pW + w));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
