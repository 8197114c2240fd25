package tasn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tasn.config.DataConfig.PixelEncoding;

class PixelCodecTest {
    private static final RgbImage IMAGE = TestImages.fromBufferedImage(TestImages.gradient(48, 32));

    @Test
    void rawIsChannelMajorAndRoundTripsExactly() {
        byte[] raw = PixelCodec.encode(IMAGE, PixelEncoding.RAW, 95);
        assertEquals(3 * 32 * 48, raw.length);
        int plane = 32 * 48;
        // (c, y, x) sits at c*H*W + y*W + x.
        assertEquals(IMAGE.at(5, 7, 0), raw[5 * 48 + 7] & 0xFF);
        assertEquals(IMAGE.at(5, 7, 1), raw[plane + 5 * 48 + 7] & 0xFF);
        assertEquals(IMAGE.at(5, 7, 2), raw[2 * plane + 5 * 48 + 7] & 0xFF);
        assertArrayEquals(IMAGE.pixels(), PixelCodec.decode(raw, PixelEncoding.RAW, 32, 48).pixels());
    }

    @Test
    void pngRoundTripsExactly() {
        byte[] png = PixelCodec.encode(IMAGE, PixelEncoding.PNG, 95);
        assertArrayEquals(IMAGE.pixels(), PixelCodec.decode(png, PixelEncoding.PNG, 32, 48).pixels());
    }

    @Test
    void jpegRoundTripsWithinTolerance() {
        byte[] jpeg = PixelCodec.encode(IMAGE, PixelEncoding.JPEG, 95);
        RgbImage back = PixelCodec.decode(jpeg, PixelEncoding.JPEG, 32, 48);
        double sum = 0;
        for (int i = 0; i < IMAGE.pixels().length; i++) {
            sum += Math.abs((IMAGE.pixels()[i] & 0xFF) - (back.pixels()[i] & 0xFF));
        }
        double mean = sum / IMAGE.pixels().length;
        assertTrue(mean < 2.5, "mean difference " + mean);
        // Channels stay in place: the red ramp is still red.
        assertEquals(IMAGE.at(16, 47, 0), back.at(16, 47, 0), 12);
    }

    @Test
    void lowerJpegQualityGivesFewerBytes() {
        assertTrue(PixelCodec.encode(IMAGE, PixelEncoding.JPEG, 30).length < PixelCodec.encode(IMAGE, PixelEncoding.JPEG, 95).length);
    }

    @Test
    void aSizeThatDisagreesWithTheRowIsAnError() {
        byte[] png = PixelCodec.encode(IMAGE, PixelEncoding.PNG, 95);
        assertThrows(IllegalArgumentException.class, () -> PixelCodec.decode(png, PixelEncoding.PNG, 48, 32));
        byte[] raw = PixelCodec.encode(IMAGE, PixelEncoding.RAW, 95);
        assertThrows(IllegalArgumentException.class, () -> PixelCodec.decode(raw, PixelEncoding.RAW, 30, 48));
        assertThrows(IllegalArgumentException.class, () -> PixelCodec.decode(new byte[]{1, 2, 3}, PixelEncoding.JPEG, 32, 48));
    }
}
