package tasn.data;

/**
 * The deterministic validation split of images whose layout gives no validation set: an
 * image goes to {@code val} when a hash of (seed, relative path) falls below
 * {@code data.val-fraction}. It depends on nothing else (not on listing order, partitions or
 * the other files), so adding images never moves an existing one between train and val.
 */
public final class ValidationSplit {
    private ValidationSplit() {
    }

    public static boolean isValidation(long seed, String relativePath, double valFraction) {
        if (valFraction <= 0) {
            return false;
        }
        byte[] hash = ImageId.sha256("val-split:" + seed + ":" + relativePath);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (hash[i] & 0xff);
        }
        // Top 53 bits as a uniform double in [0, 1).
        double u = (bits >>> 11) * 0x1.0p-53;
        return u < valFraction;
    }
}
