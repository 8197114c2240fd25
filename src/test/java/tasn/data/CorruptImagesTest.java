package tasn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Damaged files, made by flipping random bytes of valid ones with a fixed seed: each must
 * either decode to an image of the size its header claims or be rejected with a reason. A
 * native crash here would take the whole JVM (an executor, in the ingest job) with it.
 */
class CorruptImagesTest {
    private static final Set<String> REASONS = Set.of("truncated", "not-an-image", "unsupported-format", "too-many-pixels", "decode-failed");
    private final ImageDecoder decoder = new ImageDecoder(10_000_000L);

    private void flipAndDecode(byte[] valid, int from, int to, long seed, int rounds) {
        Random random = new Random(seed);
        for (int round = 0; round < rounds; round++) {
            byte[] damaged = valid.clone();
            int flips = 1 + random.nextInt(8);
            for (int f = 0; f < flips; f++) {
                damaged[from + random.nextInt(to - from)] = (byte) random.nextInt(256);
            }
            try {
                RgbImage image = decoder.decode(damaged, "damaged");
                assertEquals(image.pixels().length, image.height() * image.width() * 3);
            } catch (ImageRejected e) {
                assertTrue(REASONS.contains(e.reason()), e.reason());
            }
        }
    }

    @Test
    void jpegsWithDamagedExifNeverCrash() {
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(TestImages.gradient(40, 30), false), 6);
        flipAndDecode(jpeg, 6, 38, 1, 300); // inside the APP1 segment
    }

    @Test
    void jpegsWithDamagedHeadersAndScansNeverCrash() {
        byte[] baseline = TestImages.jpeg(TestImages.gradient(64, 48), false);
        flipAndDecode(baseline, 2, baseline.length, 2, 300);
        byte[] progressive = TestImages.jpeg(TestImages.gradient(64, 48), true);
        flipAndDecode(progressive, 2, progressive.length, 3, 300);
    }

    @Test
    void damagedPngsBmpsGifsAndWebpsNeverCrash() {
        byte[] png = TestImages.write(TestImages.gradient(64, 48), "png");
        flipAndDecode(png, 8, png.length, 4, 300);
        byte[] bmp = TestImages.write(TestImages.gradient(64, 48), "bmp");
        flipAndDecode(bmp, 2, 60, 5, 300);
        byte[] gif = TestImages.write(TestImages.gradient(64, 48), "gif");
        flipAndDecode(gif, 6, gif.length, 6, 300);
        byte[] webp = OpenCvEncoding.encode(TestImages.fromBufferedImage(TestImages.gradient(64, 48)), ".webp", 80);
        flipAndDecode(webp, 12, webp.length, 7, 300);
    }
}
