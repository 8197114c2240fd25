package tasn.data;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import tasn.config.DataConfig;

/**
 * The R x R views of an image that the model sees (TASN.md, "Train augmentation"): the one
 * shared code path that ingest, score and sample call.
 *
 * <p>Evaluation view: resize the shorter side to R, take the centre R x R crop. It is computed
 * crop-first: the centred square of side min(H, W) is cut from the source and resized to
 * R x R, which is the same mapping without ever allocating the resized long side (a 4000x3
 * strip would otherwise become 85333x64). Shrinking uses area averaging (no aliasing),
 * enlarging bilinear interpolation.
 *
 * <p>Training view: the same square at a random offset along the longer side (the random
 * R x R crop; with {@code min-crop-area < 1} a smaller square of random area anywhere inside
 * the image, the scale augmentation), a horizontal flip, a rotation by up to N degrees either
 * way (edges reflected, so no black corners a model could learn), brightness, contrast and saturation jitter, and
 * AlexNet's PCA lighting noise; each switchable off. Every random number comes from one
 * generator seeded by (seed, image id, copy) and is drawn in a fixed order whether or not its
 * augmentation is on, so a view is the same on any thread, partition or machine, and turning
 * one augmentation off leaves the others' draws unchanged. With everything off (or
 * {@code augment.enabled = false}) the training view equals the evaluation view byte for byte.
 */
public final class ImageViews {

    /** AlexNet's eigenvalues of the ImageNet RGB covariance (pixel scale 0-1). */
    private static final double[] PCA_EIGENVALUES = {0.2175, 0.0188, 0.0045};
    /** The matching eigenvectors, one per column; rows are R, G, B. */
    private static final double[][] PCA_EIGENVECTORS = {
            {-0.5675, 0.7192, 0.4009},
            {-0.5808, -0.0045, -0.8140},
            {-0.5836, -0.6948, 0.4203},
    };

    private ImageViews() {
    }

    /** Resize the shorter side to R, centre crop R x R. */
    public static RgbImage evalView(RgbImage image, int rawSize) {
        return squareView(image, rawSize, 1, 0.5, 0.5);
    }

    /** The TASN training augmentation of {@code image}, reproducible from (seed, imageId, copy). */
    public static RgbImage trainView(RgbImage image, DataConfig data, long seed, String imageId, int copy) {
        DataConfig.Augment augment = data.augment();
        int size = data.rawSize();
        if (!augment.enabled()) {
            return evalView(image, size);
        }
        SplittableRandom random = new SplittableRandom(viewSeed(seed, imageId, copy));
        // Fixed draw order, whatever is switched on.
        double cropPosition = random.nextDouble();
        boolean flip = random.nextBoolean();
        double rotation = (2 * random.nextDouble() - 1) * augment.rotationDegrees();
        double brightness = 1 + (2 * random.nextDouble() - 1) * augment.brightness();
        double contrast = 1 + (2 * random.nextDouble() - 1) * augment.contrast();
        double saturation = 1 + (2 * random.nextDouble() - 1) * augment.saturation();
        double[] lightingAlpha = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
        // Drawn after the others, so that views made before the scale augmentation existed
        // (min-crop-area = 1) stay the same byte for byte.
        double cropArea = augment.minCropArea() + (1 - augment.minCropArea()) * random.nextDouble();
        double cropPositionShortSide = random.nextDouble();

        RgbImage view = augment.randomCrop()
                ? squareView(image, size, Math.sqrt(cropArea), cropPosition, cropPositionShortSide)
                : squareView(image, size, 1, 0.5, 0.5);
        if (augment.horizontalFlip() && flip) {
            view = flipHorizontally(view);
        }
        if (augment.rotationDegrees() > 0 && rotation != 0) {
            view = rotate(view, rotation);
        }
        boolean colour = augment.brightness() > 0 || augment.contrast() > 0 || augment.saturation() > 0 || augment.lighting() > 0;
        if (!colour) {
            return view;
        }
        float[] rgb = toFloats(view);
        if (augment.brightness() > 0) {
            adjustBrightness(rgb, brightness);
        }
        if (augment.contrast() > 0) {
            adjustContrast(rgb, contrast);
        }
        if (augment.saturation() > 0) {
            adjustSaturation(rgb, saturation);
        }
        if (augment.lighting() > 0) {
            addPcaLighting(rgb, lightingAlpha, augment.lighting());
        }
        return new RgbImage(view.height(), view.width(), toBytes(rgb));
    }

    /**
     * The seed of one view: a 64-bit mix (SplitMix64's finaliser) of the run seed, a 64-bit
     * FNV-1a hash of the image id's UTF-8 bytes, and the copy number.
     */
    static long viewSeed(long seed, String imageId, int copy) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : imageId.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xFF)) * 0x100000001b3L;
        }
        long mixed = mix64(seed);
        mixed = mix64(mixed ^ hash);
        mixed = mix64(mixed ^ (copy * 0x9E3779B97F4A7C15L));
        return mixed;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * A square of side {@code sideFraction * min(H, W)}, placed at {@code longPosition} along the
     * longer side and {@code shortPosition} along the shorter one (0 first, 0.5 centre, 1 last;
     * the width counts as the longer side of a square image), resized to size x size.
     */
    private static RgbImage squareView(RgbImage image, int size, double sideFraction, double longPosition,
                                       double shortPosition) {
        if (size < 1) {
            throw new IllegalArgumentException("view size must be positive, got " + size);
        }
        int side = Math.max(1, (int) Math.round(sideFraction * Math.min(image.height(), image.width())));
        boolean wide = image.width() >= image.height();
        int x0 = offset(image.width() - side, wide ? longPosition : shortPosition);
        int y0 = offset(image.height() - side, wide ? shortPosition : longPosition);
        try (Mat source = OpenCvImages.toRgbMat(image);
             Rect square = new Rect(x0, y0, side, side);
             Mat crop = new Mat(source, square)) {
            if (side == size) {
                return OpenCvImages.fromRgbMat(crop);
            }
            try (Mat resized = new Mat(); Size target = new Size(size, size)) {
                resize(crop, resized, target, 0, 0, side > size ? INTER_AREA : INTER_LINEAR);
                return OpenCvImages.fromRgbMat(resized);
            }
        }
    }

    /** Where a crop starts when {@code slack} pixels are left over: centred at 0.5, else uniform. */
    private static int offset(int slack, double position) {
        return position == 0.5 ? slack / 2 : Math.min(slack, (int) Math.floor(position * (slack + 1)));
    }

    private static RgbImage flipHorizontally(RgbImage image) {
        int h = image.height();
        int w = image.width();
        byte[] in = image.pixels();
        byte[] out = new byte[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(in, (y * w + x) * 3, out, (y * w + (w - 1 - x)) * 3, 3);
            }
        }
        return new RgbImage(h, w, out);
    }

    /** Rotates about the centre by {@code degrees} (counter-clockwise), reflecting at the edges. */
    private static RgbImage rotate(RgbImage image, double degrees) {
        try (Mat source = OpenCvImages.toRgbMat(image);
             Point2f centre = new Point2f((image.width() - 1) / 2f, (image.height() - 1) / 2f);
             Mat matrix = getRotationMatrix2D(centre, degrees, 1.0);
             Mat rotated = new Mat();
             Size size = new Size(image.width(), image.height());
             Scalar border = new Scalar(0.0)) {
            warpAffine(source, rotated, matrix, size, INTER_LINEAR, BORDER_REFLECT_101, border);
            return OpenCvImages.fromRgbMat(rotated);
        }
    }

    // ---- colour jitter, on floats 0-255, clamped after each step (as torchvision does) ----

    private static void adjustBrightness(float[] rgb, double factor) {
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = clamp(rgb[i] * factor);
        }
    }

    /** Blend with the image's mean grey level. */
    private static void adjustContrast(float[] rgb, double factor) {
        double sum = 0;
        for (int p = 0; p < rgb.length; p += 3) {
            sum += grey(rgb, p);
        }
        double mean = sum / (rgb.length / 3);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = clamp(mean + (rgb[i] - mean) * factor);
        }
    }

    /** Blend each pixel with its own grey level. */
    private static void adjustSaturation(float[] rgb, double factor) {
        for (int p = 0; p < rgb.length; p += 3) {
            double g = grey(rgb, p);
            for (int c = 0; c < 3; c++) {
                rgb[p + c] = clamp(g + (rgb[p + c] - g) * factor);
            }
        }
    }

    /** AlexNet's PCA lighting: add sum_j v_j * alpha_j * lambda_j, alpha_j ~ N(0, std). */
    private static void addPcaLighting(float[] rgb, double[] alpha, double std) {
        double[] shift = new double[3];
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < 3; j++) {
                shift[c] += PCA_EIGENVECTORS[c][j] * alpha[j] * std * PCA_EIGENVALUES[j] * 255.0;
            }
        }
        for (int p = 0; p < rgb.length; p += 3) {
            for (int c = 0; c < 3; c++) {
                rgb[p + c] = clamp(rgb[p + c] + shift[c]);
            }
        }
    }

    private static double grey(float[] rgb, int p) {
        return 0.299 * rgb[p] + 0.587 * rgb[p + 1] + 0.114 * rgb[p + 2];
    }

    private static float clamp(double v) {
        return (float) Math.max(0, Math.min(255, v));
    }

    private static float[] toFloats(RgbImage image) {
        byte[] pixels = image.pixels();
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = pixels[i] & 0xFF;
        }
        return out;
    }

    private static byte[] toBytes(float[] values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) Math.round(values[i]);
        }
        return out;
    }
}
