package tasn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tasn.data.TestImages.argb;
import static tasn.data.TestImages.painted;
import static tasn.data.TestImages.rgb;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder(100_000_000L);

    private static final int RED = rgb(220, 20, 30);
    private static final int BLUE = rgb(20, 40, 210);

    /** 40 wide x 20 high: left half red, right half blue. */
    private static BufferedImage redLeftBlueRight(int type) {
        return painted(40, 20, type, (x, y) -> x < 20 ? RED : BLUE);
    }

    private static void assertColour(RgbImage image, int y, int x, int argb, int tolerance) {
        int[] expected = {argb >> 16 & 0xFF, argb >> 8 & 0xFF, argb & 0xFF};
        int[] actual = {image.at(y, x, 0), image.at(y, x, 1), image.at(y, x, 2)};
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(expected[c] - actual[c]) <= tolerance,
                    "pixel (" + y + "," + x + ") expected " + Arrays.toString(expected) + " got " + Arrays.toString(actual));
        }
    }

    private static void assertRedLeftBlueRight(RgbImage image, int tolerance) {
        assertEquals(20, image.height());
        assertEquals(40, image.width());
        assertColour(image, 10, 5, RED, tolerance);
        assertColour(image, 10, 34, BLUE, tolerance);
    }

    private String reasonFor(byte[] bytes, String name) {
        return assertThrows(ImageRejected.class, () -> decoder.decode(bytes, name)).reason();
    }

    // ---- formats and colour kinds that must decode ----

    @Test
    void baselineJpegKeepsItsColoursAndSize() throws Exception {
        byte[] jpeg = TestImages.jpeg(redLeftBlueRight(BufferedImage.TYPE_3BYTE_BGR), false);
        assertRedLeftBlueRight(decoder.decode(jpeg, "a.jpg"), 12);
    }

    @Test
    void progressiveJpegDecodes() throws Exception {
        byte[] jpeg = TestImages.jpeg(redLeftBlueRight(BufferedImage.TYPE_3BYTE_BGR), true);
        assertRedLeftBlueRight(decoder.decode(jpeg, "p.jpg"), 12);
    }

    @Test
    void greyscaleJpegBecomesThreeEqualChannels() throws Exception {
        BufferedImage grey = painted(30, 10, BufferedImage.TYPE_BYTE_GRAY, (x, y) -> rgb(x * 8, x * 8, x * 8));
        RgbImage image = decoder.decode(TestImages.jpeg(grey, false), "g.jpg");
        assertEquals(10, image.height());
        assertEquals(30, image.width());
        for (int x = 0; x < 30; x++) {
            assertEquals(image.at(5, x, 0), image.at(5, x, 1));
            assertEquals(image.at(5, x, 1), image.at(5, x, 2));
        }
        assertTrue(image.at(5, 28, 0) > image.at(5, 2, 0) + 150, "the ramp survives");
    }

    @Test
    void adobeCmykJpegBecomesTheRightRgb() throws Exception {
        // Ink (0, 1, 1, 0) is red; (1, 0, 0, 0) cyan; with 50% black everything halves.
        assertColour(decoder.decode(TestImages.adobeCmykJpeg(16, 16, 0, 1, 1, 0, 0), "cmyk.jpg"), 8, 8, rgb(255, 0, 0), 8);
        assertColour(decoder.decode(TestImages.adobeCmykJpeg(16, 16, 1, 0, 0, 0, 0), "cmyk.jpg"), 8, 8, rgb(0, 255, 255), 8);
        assertColour(decoder.decode(TestImages.adobeCmykJpeg(16, 16, 0, 0, 1, 0.5, 0), "cmyk.jpg"), 8, 8, rgb(128, 128, 0), 8);
    }

    @Test
    void adobeYcckJpegBecomesTheRightRgb() throws Exception {
        assertColour(decoder.decode(TestImages.adobeCmykJpeg(16, 16, 0, 1, 1, 0, 2), "ycck.jpg"), 8, 8, rgb(255, 0, 0), 8);
        assertColour(decoder.decode(TestImages.adobeCmykJpeg(16, 16, 0, 0, 1, 0.5, 2), "ycck.jpg"), 8, 8, rgb(128, 128, 0), 8);
    }

    @Test
    void exifOrientationSixRotatesClockwise() throws Exception {
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(redLeftBlueRight(BufferedImage.TYPE_3BYTE_BGR), false), 6);
        RgbImage image = decoder.decode(jpeg, "rotated.jpg");
        // Stored 40 wide x 20 high, left red; shown rotated 90 degrees clockwise: 20 wide x 40 high, top red.
        assertEquals(40, image.height());
        assertEquals(20, image.width());
        assertColour(image, 5, 10, RED, 12);
        assertColour(image, 34, 10, BLUE, 12);
    }

    @Test
    void exifOrientationOneChangesNothing() throws Exception {
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(redLeftBlueRight(BufferedImage.TYPE_3BYTE_BGR), false), 1);
        assertRedLeftBlueRight(decoder.decode(jpeg, "upright.jpg"), 12);
    }

    @Test
    void pngIsExact() throws Exception {
        BufferedImage source = TestImages.gradient(37, 23);
        RgbImage image = decoder.decode(TestImages.write(source, "png"), "a.png");
        assertEquals(23, image.height());
        assertEquals(37, image.width());
        assertTrue(Arrays.equals(TestImages.fromBufferedImage(source).pixels(), image.pixels()));
    }

    @Test
    void greyscalePngIsExact() throws Exception {
        BufferedImage grey = painted(30, 10, BufferedImage.TYPE_BYTE_GRAY, (x, y) -> rgb(x * 8, x * 8, x * 8));
        RgbImage image = decoder.decode(TestImages.write(grey, "png"), "g.png");
        for (int x = 0; x < 30; x++) {
            int expected = grey.getRaster().getSample(x, 3, 0);
            for (int c = 0; c < 3; c++) {
                assertEquals(expected, image.at(3, x, c));
            }
        }
    }

    @Test
    void sixteenBitGreyPngKeepsTheHighByte() throws Exception {
        BufferedImage deep = new BufferedImage(20, 4, BufferedImage.TYPE_USHORT_GRAY);
        for (int x = 0; x < 20; x++) {
            for (int y = 0; y < 4; y++) {
                deep.getRaster().setSample(x, y, 0, x * 3000);
            }
        }
        RgbImage image = decoder.decode(TestImages.write(deep, "png"), "deep.png");
        assertEquals(4, image.height());
        for (int x = 0; x < 20; x++) {
            assertEquals(x * 3000 / 257.0, image.at(2, x, 1), 1.0);
        }
    }

    @Test
    void sixteenBitColourPngDecodes() throws Exception {
        BufferedImage deep = new BufferedImage(
                new java.awt.image.ComponentColorModel(java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB),
                        false, false, java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_USHORT),
                java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_USHORT, 8, 8, 3, null), false, null);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                deep.getRaster().setPixel(x, y, new int[]{65535, 32768, 1000});
            }
        }
        RgbImage image = decoder.decode(TestImages.write(deep, "png"), "deep-rgb.png");
        assertColour(image, 4, 4, rgb(255, 128, 4), 1);
    }

    @Test
    void palettePngDecodes() throws Exception {
        byte[] r = {(byte) 220, 20};
        byte[] g = {20, 40};
        byte[] b = {30, (byte) 210};
        BufferedImage indexed = new BufferedImage(40, 20, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(1, 2, r, g, b));
        WritableRaster raster = indexed.getRaster();
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                raster.setSample(x, y, 0, x < 20 ? 0 : 1);
            }
        }
        assertRedLeftBlueRight(decoder.decode(TestImages.write(indexed, "png"), "palette.png"), 0);
    }

    @Test
    void alphaIsCompositedOntoWhite() throws Exception {
        // Left: opaque red. Right: fully transparent black. Middle column band: half-transparent blue.
        BufferedImage transparent = painted(30, 10, BufferedImage.TYPE_INT_ARGB,
                (x, y) -> x < 10 ? argb(255, 220, 20, 30) : x < 20 ? argb(128, 0, 0, 255) : argb(0, 0, 0, 0));
        RgbImage image = decoder.decode(TestImages.write(transparent, "png"), "alpha.png");
        assertColour(image, 5, 5, rgb(220, 20, 30), 0);
        assertColour(image, 5, 15, rgb(127, 127, 255), 1);
        assertColour(image, 5, 25, rgb(255, 255, 255), 0);
    }

    @Test
    void bmpDecodes() throws Exception {
        assertRedLeftBlueRight(decoder.decode(TestImages.write(redLeftBlueRight(BufferedImage.TYPE_3BYTE_BGR), "bmp"), "a.bmp"), 0);
    }

    @Test
    void gifDecodesWithTransparencyOnWhite() throws Exception {
        byte[] r = {(byte) 220, 20, 0};
        byte[] g = {20, 40, 0};
        byte[] b = {30, (byte) 210, 0};
        BufferedImage indexed = new BufferedImage(40, 20, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 3, r, g, b, 2));
        WritableRaster raster = indexed.getRaster();
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                raster.setSample(x, y, 0, y >= 18 ? 2 : x < 20 ? 0 : 1);
            }
        }
        RgbImage image = decoder.decode(TestImages.write(indexed, "gif"), "a.gif");
        assertRedLeftBlueRight(image, 0);
        assertColour(image, 19, 0, rgb(255, 255, 255), 0);
    }

    @Test
    void webpDecodes() throws Exception {
        RgbImage source = TestImages.fromBufferedImage(redLeftBlueRight(BufferedImage.TYPE_3BYTE_BGR));
        byte[] webp = OpenCvEncoding.encode(source, ".webp", 101); // quality above 100: lossless
        assertRedLeftBlueRight(decoder.decode(webp, "a.webp"), 0);
    }

    @Test
    void tinyEightByEightDecodes() throws Exception {
        BufferedImage tiny = painted(8, 8, BufferedImage.TYPE_3BYTE_BGR, (x, y) -> RED);
        RgbImage fromJpeg = decoder.decode(TestImages.jpeg(tiny, false), "tiny.jpg");
        RgbImage fromPng = decoder.decode(TestImages.write(tiny, "png"), "tiny.png");
        assertEquals(8, fromJpeg.height());
        assertEquals(8, fromJpeg.width());
        assertColour(fromJpeg, 4, 4, RED, 12);
        assertColour(fromPng, 7, 7, RED, 0);
    }

    @Test
    void extremeAspectRatiosDecode() throws Exception {
        BufferedImage strip = painted(4000, 3, BufferedImage.TYPE_3BYTE_BGR, (x, y) -> x < 2000 ? RED : BLUE);
        RgbImage fromJpeg = decoder.decode(TestImages.jpeg(strip, false), "strip.jpg");
        assertEquals(3, fromJpeg.height());
        assertEquals(4000, fromJpeg.width());
        assertColour(fromJpeg, 1, 100, RED, 16);
        assertColour(fromJpeg, 1, 3900, BLUE, 16);
        BufferedImage column = painted(2, 3000, BufferedImage.TYPE_3BYTE_BGR, (x, y) -> y < 1500 ? RED : BLUE);
        RgbImage fromPng = decoder.decode(TestImages.write(column, "png"), "column.png");
        assertEquals(3000, fromPng.height());
        assertEquals(2, fromPng.width());
        assertColour(fromPng, 2999, 1, BLUE, 0);
    }

    // ---- inputs that must be rejected, with their reason ----

    @Test
    void emptyFileIsRejected() {
        assertEquals("empty-file", reasonFor(new byte[0], "empty.jpg"));
    }

    @Test
    void jpegCutInHalfIsTruncatedNotHalfGrey() {
        byte[] jpeg = TestImages.jpeg(TestImages.gradient(120, 80), false);
        assertEquals("truncated", reasonFor(Arrays.copyOf(jpeg, jpeg.length / 2), "half.jpg"));
        assertEquals("truncated", reasonFor(Arrays.copyOf(jpeg, jpeg.length - 2), "no-eoi.jpg"));
        assertEquals("truncated", reasonFor(Arrays.copyOf(jpeg, 10), "head.jpg"));
    }

    @Test
    void progressiveJpegCutBetweenScansIsTruncated() {
        byte[] jpeg = TestImages.jpeg(TestImages.gradient(120, 80), true);
        assertEquals("truncated", reasonFor(Arrays.copyOf(jpeg, jpeg.length * 2 / 3), "half.jpg"));
    }

    @Test
    void pngCutInHalfIsTruncated() {
        byte[] png = TestImages.write(TestImages.gradient(120, 80), "png");
        assertEquals("truncated", reasonFor(Arrays.copyOf(png, png.length / 2), "half.png"));
        assertEquals("truncated", reasonFor(Arrays.copyOf(png, 20), "head.png"));
    }

    @Test
    void otherFormatsCutShortAreTruncated() {
        byte[] bmp = TestImages.write(TestImages.gradient(60, 40), "bmp");
        assertEquals("truncated", reasonFor(Arrays.copyOf(bmp, bmp.length / 2), "half.bmp"));
        byte[] gif = TestImages.write(TestImages.gradient(60, 40), "gif");
        assertEquals("truncated", reasonFor(Arrays.copyOf(gif, gif.length / 2), "half.gif"));
        byte[] webp = OpenCvEncoding.encode(TestImages.fromBufferedImage(TestImages.gradient(60, 40)), ".webp", 90);
        assertEquals("truncated", reasonFor(Arrays.copyOf(webp, webp.length / 2), "half.webp"));
    }

    @Test
    void textWithAnImageNameIsNotAnImage() {
        assertEquals("not-an-image", reasonFor("<html><body>404 Not Found</body></html>".getBytes(StandardCharsets.UTF_8), "photo.jpg"));
    }

    @Test
    void randomBytesAreNotAnImage() {
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            byte[] noise = new byte[1 + random.nextInt(5000)];
            random.nextBytes(noise);
            noise[0] = (byte) ('a' + random.nextInt(26)); // no magic number starts with a lower-case letter
            assertEquals("not-an-image", reasonFor(noise, "noise.png"));
        }
    }

    @Test
    void randomBytesAfterAnImageSignatureAreRejectedNotCrashing() {
        Random random = new Random(11);
        byte[][] signatures = {{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, {'G', 'I', 'F', '8', '9', 'a'}, {'B', 'M'}};
        for (byte[] signature : signatures) {
            for (int i = 0; i < 20; i++) {
                byte[] noise = new byte[signature.length + random.nextInt(3000)];
                random.nextBytes(noise);
                System.arraycopy(signature, 0, noise, 0, signature.length);
                try {
                    decoder.decode(noise, "noise");
                } catch (ImageRejected e) {
                    assertTrue(java.util.Set.of("truncated", "not-an-image", "decode-failed", "too-many-pixels").contains(e.reason()), e.reason());
                }
            }
        }
    }

    @Test
    void tiffIsAnUnsupportedFormat() {
        byte[] tiff = TestImages.write(TestImages.gradient(10, 10), "tiff");
        ImageRejected rejected = assertThrows(ImageRejected.class, () -> decoder.decode(tiff, "scan.jpg"));
        assertEquals("unsupported-format", rejected.reason());
        assertTrue(rejected.getMessage().contains("scan.jpg") && rejected.getMessage().contains("TIFF"), rejected.getMessage());
    }

    @Test
    void pngHeaderClaimingFiftyThousandSquaredIsRejectedBeforeDecoding() {
        byte[] header = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                0, 0, (byte) 0xC3, 0x50, 0, 0, (byte) 0xC3, 0x50, 8, 2, 0, 0, 0, 0, 0, 0, 0};
        ImageRejected rejected = assertThrows(ImageRejected.class, () -> decoder.decode(header, "bomb.png"));
        assertEquals("too-many-pixels", rejected.reason());
        assertTrue(rejected.getMessage().contains("50000x50000"), rejected.getMessage());
    }

    @Test
    void jpegHeaderClaimingFiftyThousandSquaredIsRejectedBeforeDecoding() {
        byte[] header = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 17, 8,
                (byte) 0xC3, 0x50, (byte) 0xC3, 0x50, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1};
        assertEquals("too-many-pixels", reasonFor(header, "bomb.jpg"));
    }

    @Test
    void realImageAboveTheLimitIsRejected() {
        byte[] png = TestImages.write(TestImages.gradient(100, 100), "png");
        ImageRejected rejected = assertThrows(ImageRejected.class, () -> new ImageDecoder(9_999).decode(png, "big.png"));
        assertEquals("too-many-pixels", rejected.reason());
    }

    @Test
    void pngWithCorruptPixelDataFailsToDecode() {
        byte[] png = TestImages.write(TestImages.gradient(60, 40), "png");
        for (int i = 60; i < png.length - 30; i++) {
            png[i] ^= 0x5A; // IDAT bytes, lengths intact: libpng finds the bad checksum
        }
        assertEquals("decode-failed", reasonFor(png, "corrupt.png"));
    }
}
