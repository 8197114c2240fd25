package tasn.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The power a structure or detail map is raised to before the attention sampler reads it
 * (TASN.md, "Structure and detail maps": the reference squares the structure map and leaves
 * the detail map as it is).
 *
 * <p>Why it is a setting: the sampler's magnification of a row is that row's largest map value
 * over the mean of those largest values (TASN.md, "The attention sampler", step 1). A map whose
 * peak is 1.2x its mean magnifies the attended region by about 1.2x, which is barely a zoom;
 * raising it to the power p turns that ratio into about 1.2^p. The maps of a small attention net
 * trained from scratch are that broad, so the sampled views stay close to a plain resize unless
 * p is raised. The maps are non-negative (trilinear attention mixes ReLU outputs with
 * non-negative weights), so any positive p keeps their order.
 */
final class MapExponent {

    /** The largest accepted power: 1.2^32 is already a 340x magnification. */
    static final double MAX = 32;

    private MapExponent() {
    }

    /** {@code exponent} when it is a power in (0, {@link #MAX}], else an error naming {@code what}. */
    static double require(String what, double exponent) {
        if (!(exponent > 0 && exponent <= MAX)) {
            throw new IllegalArgumentException(what + " must be in (0, " + MAX + "], got " + exponent);
        }
        return exponent;
    }

    /** {@code maps} raised to {@code exponent}, in place; 1 leaves them, 2 squares them exactly. */
    static INDArray raise(INDArray maps, double exponent) {
        if (exponent == 1.0) {
            return maps;
        }
        if (exponent == 2.0) {
            return maps.muli(maps);
        }
        return Transforms.pow(maps, exponent, false);
    }
}
