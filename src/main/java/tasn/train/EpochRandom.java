package tasn.train;

/**
 * The random choices of one epoch as pure functions of (seed, epoch, image id), so that every
 * executor, every retried task and every resumed run makes the same ones: which augmentation
 * copy of an image the epoch uses, and where the image falls in the epoch's order.
 */
final class EpochRandom {
    private static final long COPY_SALT = 0x636f7079L;   // "copy"
    private static final long ORDER_SALT = 0x6f726465L;  // "orde"

    private EpochRandom() {
    }

    /** The augmentation copy (0 .. copies-1) of image {@code id} that epoch {@code epoch} trains on. */
    static int copyFor(long seed, int epoch, String id, int copies) {
        return (int) Math.floorMod(hash(seed, epoch, id, COPY_SALT), (long) copies);
    }

    /** The image's sort key in the epoch's shuffled order. */
    static long orderKey(long seed, int epoch, String id) {
        return hash(seed, epoch, id, ORDER_SALT);
    }

    static long hash(long seed, long epoch, String id, long salt) {
        long h = mix(seed ^ salt);
        h = mix(h ^ epoch);
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001b3L;   // FNV-1a step over the id
        }
        return mix(h);
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
