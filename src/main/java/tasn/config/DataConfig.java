package tasn.config;

import java.io.Serializable;
import java.util.List;

/**
 * The {@code data} section: how ingest lists, decodes, augments and encodes images.
 * Keys, defaults and meanings: {@code tasn/config/reference.conf}.
 */
public record DataConfig(
        int rawSize,
        double valFraction,
        int copies,
        PixelEncoding encoding,
        int jpegQuality,
        long maxPixels,
        long rowGroupBytes,
        int minFiles,
        Augment augment) implements Serializable {

    /** How a shard row stores its pixels. */
    public enum PixelEncoding {
        /** Decoded uint8 RGB, channel-major (C, H, W). */
        RAW,
        JPEG,
        PNG;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The training augmentations of TASN.md; a zero strength or false switches one off. */
    public record Augment(
            boolean enabled,
            boolean randomCrop,
            boolean horizontalFlip,
            double brightness,
            double contrast,
            double saturation,
            double lighting,
            double rotationDegrees,
            double minCropArea) implements Serializable {
        /** The augmentations of TASN.md with crops always the whole square ({@code minCropArea = 1}). */
        public Augment(boolean enabled, boolean randomCrop, boolean horizontalFlip, double brightness, double contrast,
                       double saturation, double lighting, double rotationDegrees) {
            this(enabled, randomCrop, horizontalFlip, brightness, contrast, saturation, lighting, rotationDegrees, 1.0);
        }
    }

    static DataConfig read(ConfigReader r) {
        Augment augment = new Augment(
                r.bool("data.augment.enabled"),
                r.bool("data.augment.random-crop"),
                r.bool("data.augment.horizontal-flip"),
                r.doubleIn("data.augment.brightness", 0, 1),
                r.doubleIn("data.augment.contrast", 0, 1),
                r.doubleIn("data.augment.saturation", 0, 1),
                r.doubleIn("data.augment.lighting", 0, 10),
                r.doubleIn("data.augment.rotation-degrees", 0, 180),
                r.doubleIn("data.augment.min-crop-area", 0.01, 1));
        return new DataConfig(
                r.intIn("data.raw-size", 8, 4096),
                r.doubleIn("data.val-fraction", 0, 0.9),
                r.intIn("data.copies", 1, 1000),
                PixelEncoding.valueOf(r.oneOf("data.encoding", List.of("raw", "jpeg", "png")).toUpperCase(java.util.Locale.ROOT)),
                r.intIn("data.jpeg-quality", 1, 100),
                r.longIn("data.max-pixels", 1, Long.MAX_VALUE),
                r.longIn("data.row-group-bytes", 1 << 20, 1L << 31),
                r.intIn("data.min-files", 0, 100000),
                augment);
    }
}
