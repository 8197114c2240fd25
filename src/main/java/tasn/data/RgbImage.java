package tasn.data;

import java.io.Serializable;

/**
 * An 8-bit RGB image, pixels interleaved row-major H x W x 3 (R, G, B): the one in-memory
 * image form that decoding, views and pixel encodings exchange.
 */
public record RgbImage(int height, int width, byte[] pixels) implements Serializable {

    public RgbImage {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        if (pixels == null || pixels.length != (long) height * width * 3) {
            throw new IllegalArgumentException("an RGB image of " + height + "x" + width + " needs "
                    + (long) height * width * 3 + " bytes, got " + (pixels == null ? "null" : pixels.length));
        }
    }

    /** The value 0-255 of channel c (0 R, 1 G, 2 B) at row y, column x. */
    public int at(int y, int x, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xFF;
    }
}
