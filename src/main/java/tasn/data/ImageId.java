package tasn.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stable id of an image: the first 16 hex digits (64 bits) of the SHA-256 of its path
 * relative to the input root. The same file under a moved root keeps its id; augmentation
 * is seeded by (seed, id, copy), so it keeps its augmented pixels too.
 */
public final class ImageId {
    private ImageId() {
    }

    public static String of(String relativePath) {
        return HexFormat.of().formatHex(sha256(relativePath), 0, 8);
    }

    /** SHA-256 of a UTF-8 string. */
    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
