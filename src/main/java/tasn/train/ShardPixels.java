package tasn.train;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * The pixels of a shard row as uint8 RGB, channel-major (C, H, W): the model's tensor layout.
 * The {@code raw} encoding already is that layout; {@code jpeg} and {@code png} are decoded.
 */
final class ShardPixels {
    private ShardPixels() {
    }

    static byte[] channelMajor(ShardExample row) {
        int plane = row.height() * row.width();
        switch (row.encoding()) {
            case "raw" -> {
                if (row.pixels().length != 3 * plane) {
                    throw new IllegalArgumentException("image " + row.id() + ": raw pixels of a " + row.height() + "x"
                            + row.width() + " image need " + 3 * plane + " bytes, the row has " + row.pixels().length);
                }
                return row.pixels();
            }
            case "jpeg", "png" -> {
                return decode(row, plane);
            }
            default -> throw new IllegalArgumentException("image " + row.id() + ": unknown pixel encoding '"
                    + row.encoding() + "' (expected raw, jpeg or png)");
        }
    }

    private static byte[] decode(ShardExample row, int plane) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(row.pixels()));
        } catch (IOException e) {
            throw new IllegalArgumentException("image " + row.id() + ": corrupt " + row.encoding() + " pixels: " + e.getMessage(), e);
        }
        if (image == null || image.getHeight() != row.height() || image.getWidth() != row.width()) {
            throw new IllegalArgumentException("image " + row.id() + ": " + row.encoding() + " pixels do not decode to the "
                    + row.height() + "x" + row.width() + " image the row describes");
        }
        byte[] out = new byte[3 * plane];
        for (int y = 0; y < row.height(); y++) {
            for (int x = 0; x < row.width(); x++) {
                int rgb = image.getRGB(x, y);
                int p = y * row.width() + x;
                out[p] = (byte) (rgb >> 16);
                out[plane + p] = (byte) (rgb >> 8);
                out[2 * plane + p] = (byte) rgb;
            }
        }
        return out;
    }
}
