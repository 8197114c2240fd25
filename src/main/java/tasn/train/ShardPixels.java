package tasn.train;

import tasn.config.DataConfig.PixelEncoding;
import tasn.data.PixelCodec;
import tasn.data.RgbImage;

import java.util.Locale;

/**
 * The pixels of a shard row as uint8 RGB, channel-major (C, H, W): the model's tensor layout.
 * The {@code raw} encoding already is that layout and is used as it is; {@code jpeg} and
 * {@code png} are decoded by {@link PixelCodec}.
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
        PixelEncoding encoding = PixelEncoding.valueOf(row.encoding().toUpperCase(Locale.ROOT));
        RgbImage image;
        try {
            image = PixelCodec.decode(row.pixels(), encoding, row.height(), row.width());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("image " + row.id() + ": " + e.getMessage(), e);
        }
        byte[] hwc = image.pixels();
        byte[] out = new byte[3 * plane];
        for (int p = 0; p < plane; p++) {
            out[p] = hwc[3 * p];
            out[plane + p] = hwc[3 * p + 1];
            out[2 * plane + p] = hwc[3 * p + 2];
        }
        return out;
    }
}
