package tasn.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import tasn.config.DataConfig.PixelEncoding;
import tasn.config.UsageException;

/**
 * A synthetic fine-grained data set in ImageFolder layout, for tests and the quickstart.
 *
 * <p>Every image shows the same kind of object, a "bird" (an ellipse body with a head and an
 * eye, brownish, jittered in position, size, angle, facing and colour) on a noisy, blotchy
 * background of random hue. Classes differ only in one small mark on the body: its kind (spot,
 * stripe, ring or square) and its hue, at a random place on the body. So a classifier has to
 * find the bird and then look at a detail a few percent of the image wide: the fine-grained
 * setting TASN is made for. With {@code N} classes the kinds cycle fastest and the hues are
 * spread evenly over the colour wheel, {@code ceil(N / 4)} of them.
 *
 * <p>Everything follows from the seed: image {@code j} of class {@code c} is drawn from its own
 * generator seeded by (seed, c, j), so the set is the same whatever the thread count. Files
 * are written through Hadoop's FileSystem API, so the output may be any Hadoop path.
 */
public final class SyntheticDataset {
    /** The file format of the images. */
    public enum Format { JPEG, PNG, MIXED }

    /** What to generate. With {@code splits}, {@value #TEST_PERCENT}% of each class goes to test/. */
    public record Spec(int classes, int perClass, int size, long seed, Format format, boolean splits) {
        public Spec {
            if (classes < 1 || classes > MAX_CLASSES) {
                throw new UsageException("--classes must be 1-" + MAX_CLASSES + ", got " + classes);
            }
            if (perClass < 1 || perClass > 1_000_000) {
                throw new UsageException("--per-class must be 1-1000000, got " + perClass);
            }
            if (size < MIN_SIZE || size > 4096) {
                throw new UsageException("--size must be " + MIN_SIZE + "-4096 pixels, got " + size);
            }
        }

        /** How many of each class's images go to test/ (none without splits; at least one when a class has two). */
        int testPerClass() {
            if (!splits || perClass < 2) {
                return 0;
            }
            return Math.max(1, (int) Math.round(perClass * TEST_PERCENT / 100.0));
        }
    }

    /** What was written. */
    public record Summary(List<String> classNames, int trainImages, int testImages, long bytes) {
    }

    public static final int MAX_CLASSES = 1000;
    public static final int MIN_SIZE = 16;
    public static final int TEST_PERCENT = 20;
    static final String[] MARK_KINDS = {"spot", "stripe", "ring", "square"};

    private static final int JPEG_QUALITY = 92;

    private final Spec spec;

    public SyntheticDataset(Spec spec) {
        this.spec = spec;
    }

    /** Class c's folder name, e.g. {@code 03_square_hue000}: index, mark kind, mark hue in degrees. */
    public String className(int c) {
        int digits = String.valueOf(spec.classes() - 1).length();
        return String.format(Locale.ROOT, "%0" + digits + "d_%s_hue%03d", c, MARK_KINDS[c % MARK_KINDS.length], Math.round(markHue(c)));
    }

    private double markHue(int c) {
        int hues = (spec.classes() + MARK_KINDS.length - 1) / MARK_KINDS.length;
        return 360.0 * (c / MARK_KINDS.length) / hues;
    }

    /**
     * Writes the data set under {@code output}: {@code <class>/<class>_<j>.<ext>}, or with
     * splits {@code train/<class>/...} and {@code test/<class>/...}. An existing non-empty
     * output is refused unless {@code overwrite}, which deletes it first.
     */
    public Summary write(Path output, Configuration hadoopConf, boolean overwrite) throws IOException {
        // A private FileSystem instance: turning off .crc side files must not change the shared cached one.
        try (FileSystem fs = FileSystem.newInstance(output.toUri(), hadoopConf)) {
            fs.setWriteChecksum(false);
            prepareOutput(fs, output, overwrite);
            int perClass = spec.perClass();
            int test = spec.testPerClass();
            long bytes = IntStream.range(0, spec.classes() * perClass).parallel().mapToLong(k -> {
                int c = k / perClass;
                int j = k % perClass;
                Path folder = spec.splits() ? new Path(new Path(output, j < perClass - test ? "train" : "test"), className(c))
                        : new Path(output, className(c));
                boolean png = switch (spec.format()) {
                    case JPEG -> false;
                    case PNG -> true;
                    case MIXED -> new SplittableRandom(imageSeed(c, j) ^ 0x5DEECE66DL).nextBoolean();
                };
                byte[] file = png ? PixelCodec.encode(render(c, j, true), PixelEncoding.PNG, 0)
                        : PixelCodec.encode(render(c, j, true), PixelEncoding.JPEG, JPEG_QUALITY);
                Path path = new Path(folder, String.format(Locale.ROOT, "%s_%05d.%s", className(c), j, png ? "png" : "jpg"));
                try (OutputStream out = fs.create(path, false)) {
                    out.write(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
                }
                return file.length;
            }).sum();
            List<String> names = new ArrayList<>();
            for (int c = 0; c < spec.classes(); c++) {
                names.add(className(c));
            }
            return new Summary(names, spec.classes() * (perClass - test), spec.classes() * test, bytes);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void prepareOutput(FileSystem fs, Path output, boolean overwrite) throws IOException {
        if (fs.exists(output)) {
            FileStatus status = fs.getFileStatus(output);
            boolean empty = status.isDirectory() && fs.listStatus(output).length == 0;
            if (!empty) {
                if (!overwrite) {
                    throw new UsageException("--output " + output + " already exists and is not empty; pass --overwrite to replace it, or choose another path");
                }
                if (!fs.delete(output, true)) {
                    throw new IOException("cannot delete " + output + " to overwrite it");
                }
            }
        }
        if (!fs.mkdirs(output)) {
            throw new IOException("cannot create " + output);
        }
    }

    long imageSeed(int c, int j) {
        return ImageViews.viewSeed(spec.seed(), "synthetic/" + c, j);
    }

    // ---- drawing ----

    /** Image j of class c; without the mark when {@code withMark} is false (tests use it to find the mark). */
    RgbImage render(int c, int j, boolean withMark) {
        int s = spec.size();
        SplittableRandom random = new SplittableRandom(imageSeed(c, j));
        float[] rgb = new float[s * s * 3];

        // Background: a random low-saturation hue, two soft blotch waves, per-pixel noise.
        double[] ground = hsv(random.nextDouble() * 360, 0.15 + 0.35 * random.nextDouble(), 0.35 + 0.45 * random.nextDouble());
        double fx = (1 + 3 * random.nextDouble()) * 2 * Math.PI / s;
        double fy = (1 + 3 * random.nextDouble()) * 2 * Math.PI / s;
        double phase = random.nextDouble() * 2 * Math.PI;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double wave = 28 * Math.sin(fx * x + phase) * Math.cos(fy * y - phase);
                for (int ch = 0; ch < 3; ch++) {
                    rgb[(y * s + x) * 3 + ch] = (float) (ground[ch] * 255 + wave);
                }
            }
        }

        // The bird: body ellipse, head disc at the facing end, dark eye.
        double cx = s * (0.35 + 0.3 * random.nextDouble());
        double cy = s * (0.38 + 0.24 * random.nextDouble());
        double a = s * (0.2 + 0.08 * random.nextDouble());
        double b = a * (0.5 + 0.15 * random.nextDouble());
        double angle = Math.toRadians(-30 + 60 * random.nextDouble());
        int facing = random.nextBoolean() ? 1 : -1;
        double[] body = {0.45 + 0.15 * random.nextDouble(), 0.33 + 0.12 * random.nextDouble(), 0.2 + 0.1 * random.nextDouble()};
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double headRadius = b * 0.7;
        double hx = cx + facing * a * 0.95 * cos;
        double hy = cy + facing * a * 0.95 * sin;
        fillShape(rgb, s, body, 1.0, (x, y) -> {
            double u = (x - cx) * cos + (y - cy) * sin;
            double v = -(x - cx) * sin + (y - cy) * cos;
            return Math.sqrt(u * u / (a * a) + v * v / (b * b)) * Math.min(a, b) - Math.min(a, b); // ~ signed distance
        });
        fillShape(rgb, s, body, 0.9, (x, y) -> Math.hypot(x - hx, y - hy) - headRadius);
        double eyeRadius = Math.max(0.8, headRadius * 0.22);
        double ex = hx + facing * headRadius * 0.35 * cos;
        double ey = hy + facing * headRadius * 0.35 * sin - headRadius * 0.25;
        fillShape(rgb, s, new double[]{0.05, 0.05, 0.05}, 1.0, (x, y) -> Math.hypot(x - ex, y - ey) - eyeRadius);

        // The class's mark: kind and hue from the class, place and size jittered, on the body.
        double mu = (2 * random.nextDouble() - 1) * 0.5 * a;
        double mv = (2 * random.nextDouble() - 1) * 0.35 * b;
        double mx = cx + mu * cos - mv * sin;
        double my = cy + mu * sin + mv * cos;
        double r = Math.max(1.6, s * (0.045 + 0.015 * random.nextDouble()));
        double[] colour = hsv(markHue(c), 0.85, 0.95);
        double markAngle = random.nextDouble() * Math.PI / 2;
        // Noise is drawn before deciding on the mark, so an image without its mark differs only where the mark was.
        float[] noise = new float[s * s * 3];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) ((random.nextDouble() - 0.5) * 24);
        }
        if (withMark) {
            String kind = MARK_KINDS[c % MARK_KINDS.length];
            Distance mark = switch (kind) {
                case "spot" -> (x, y) -> Math.hypot(x - mx, y - my) - r;
                case "stripe" -> (x, y) -> {
                    // A band across the body, perpendicular to its long axis, clipped to the body.
                    double u = (x - mx) * cos + (y - my) * sin;
                    double v = -(x - mx) * sin + (y - my) * cos;
                    return Math.max(Math.abs(u) - r * 0.55, Math.abs(v) - b * 0.6);
                };
                case "ring" -> (x, y) -> Math.abs(Math.hypot(x - mx, y - my) - r * 1.1) - Math.max(0.7, r * 0.38);
                default -> (x, y) -> { // square, turned by markAngle
                    double u = (x - mx) * Math.cos(markAngle) + (y - my) * Math.sin(markAngle);
                    double v = -(x - mx) * Math.sin(markAngle) + (y - my) * Math.cos(markAngle);
                    return Math.max(Math.abs(u), Math.abs(v)) - r * 0.9;
                };
            };
            fillShape(rgb, s, colour, 1.0, mark);
        }
        byte[] pixels = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            pixels[i] = (byte) Math.max(0, Math.min(255, Math.round(rgb[i] + noise[i])));
        }
        return new RgbImage(s, s, pixels);
    }

    /** A shape as a signed distance in pixels: negative inside. */
    @FunctionalInterface
    private interface Distance {
        double at(double x, double y);
    }

    /** Paints colour (0-1 RGB) scaled by shade where the shape covers a pixel, anti-aliased over one pixel. */
    private static void fillShape(float[] rgb, int s, double[] colour, double shade, Distance shape) {
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double coverage = Math.max(0, Math.min(1, 0.5 - shape.at(x + 0.5, y + 0.5)));
                if (coverage == 0) {
                    continue;
                }
                for (int ch = 0; ch < 3; ch++) {
                    int i = (y * s + x) * 3 + ch;
                    rgb[i] = (float) (rgb[i] * (1 - coverage) + colour[ch] * shade * 255 * coverage);
                }
            }
        }
    }

    private static double[] hsv(double hueDegrees, double saturation, double value) {
        double h = ((hueDegrees % 360) + 360) % 360 / 60;
        double chroma = value * saturation;
        double second = chroma * (1 - Math.abs(h % 2 - 1));
        double[] rgb = switch ((int) h) {
            case 0 -> new double[]{chroma, second, 0};
            case 1 -> new double[]{second, chroma, 0};
            case 2 -> new double[]{0, chroma, second};
            case 3 -> new double[]{0, second, chroma};
            case 4 -> new double[]{second, 0, chroma};
            default -> new double[]{chroma, 0, second};
        };
        double m = value - chroma;
        return new double[]{rgb[0] + m, rgb[1] + m, rgb[2] + m};
    }
}
