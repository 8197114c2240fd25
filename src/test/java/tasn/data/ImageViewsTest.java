package tasn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tasn.config.DataConfig;
import tasn.config.DataConfig.Augment;

class ImageViewsTest {
    private static final Augment ALL_ON = new Augment(true, true, true, 0.4, 0.4, 0.4, 0.1, 30);
    private static final Augment ALL_OFF = new Augment(true, false, false, 0, 0, 0, 0, 0);

    private static DataConfig data(int rawSize, Augment augment) {
        return new DataConfig(rawSize, 0.1, 1, DataConfig.PixelEncoding.RAW, 95, 100_000_000L, 48_000_000L, 0, augment);
    }

    private static RgbImage photo(int width, int height) {
        return TestImages.fromBufferedImage(TestImages.gradient(width, height));
    }

    // ---- the evaluation view against an independent implementation ----

    /** Reference: centre square (side = shorter side), then separable area averaging (shrink) or bilinear (enlarge). */
    private static double[][][] referenceEvalView(BufferedImage source, int size) {
        int w = source.getWidth();
        int h = source.getHeight();
        int side = Math.min(w, h);
        int x0 = (w - side) / 2;
        int y0 = (h - side) / 2;
        double[][][] square = new double[side][side][3];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int rgb = source.getRGB(x0 + x, y0 + y);
                square[y][x] = new double[]{rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF};
            }
        }
        double[][] weights = side > size ? areaWeights(side, size) : bilinearWeights(side, size);
        double[][][] out = new double[size][size][3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int sy = 0; sy < side; sy++) {
                    if (weights[y][sy] == 0) {
                        continue;
                    }
                    for (int sx = 0; sx < side; sx++) {
                        double weight = weights[y][sy] * weights[x][sx];
                        for (int c = 0; c < 3; c++) {
                            out[y][x][c] += weight * square[sy][sx][c];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** weights[d][s]: the share of source cell s in the destination cell d = [d*k, (d+1)*k). */
    private static double[][] areaWeights(int from, int to) {
        double k = (double) from / to;
        double[][] weights = new double[to][from];
        for (int d = 0; d < to; d++) {
            for (int s = 0; s < from; s++) {
                double overlap = Math.min(s + 1, (d + 1) * k) - Math.max(s, d * k);
                weights[d][s] = Math.max(0, overlap) / k;
            }
        }
        return weights;
    }

    /** weights[d][s] of bilinear interpolation with pixel centres at +0.5, edges clamped. */
    private static double[][] bilinearWeights(int from, int to) {
        double k = (double) from / to;
        double[][] weights = new double[to][from];
        for (int d = 0; d < to; d++) {
            double s = Math.max(0, Math.min(from - 1, (d + 0.5) * k - 0.5));
            int left = (int) Math.floor(s);
            int right = Math.min(from - 1, left + 1);
            weights[d][left] += 1 - (s - left);
            weights[d][right] += s - left;
        }
        return weights;
    }

    private static void assertCloseToReference(RgbImage view, double[][][] reference, double meanTolerance, double maxTolerance) {
        double sum = 0;
        double max = 0;
        for (int y = 0; y < view.height(); y++) {
            for (int x = 0; x < view.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    double diff = Math.abs(view.at(y, x, c) - reference[y][x][c]);
                    sum += diff;
                    max = Math.max(max, diff);
                }
            }
        }
        double mean = sum / (view.height() * view.width() * 3);
        assertTrue(mean <= meanTolerance, "mean difference " + mean);
        assertTrue(max <= maxTolerance, "max difference " + max);
    }

    @Test
    void evalViewOfAShrunkPngEqualsAnIndependentDecodeAndAreaResize() throws Exception {
        byte[] png = TestImages.write(TestImages.gradient(300, 200), "png");
        RgbImage view = ImageViews.evalView(new ImageDecoder(1 << 30).decode(png, "a.png"), 64);
        assertEquals(64, view.height());
        assertEquals(64, view.width());
        BufferedImage independent = ImageIO.read(new ByteArrayInputStream(png));
        assertCloseToReference(view, referenceEvalView(independent, 64), 0.5, 1);
    }

    @Test
    void evalViewOfAnEnlargedJpegEqualsAnIndependentDecodeAndBilinearResize() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.gradient(40, 50), false);
        RgbImage view = ImageViews.evalView(new ImageDecoder(1 << 30).decode(jpeg, "a.jpg"), 64);
        BufferedImage independent = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertCloseToReference(view, referenceEvalView(independent, 64), 0.5, 2);
    }

    @Test
    void evalViewOfATallJpegEqualsAnIndependentDecodeAndAreaResize() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.gradient(227, 301), false);
        RgbImage view = ImageViews.evalView(new ImageDecoder(1 << 30).decode(jpeg, "a.jpg"), 100);
        BufferedImage independent = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertCloseToReference(view, referenceEvalView(independent, 100), 0.5, 2);
    }

    @Test
    void evalViewOfANearlyRightSizedJpegEqualsAnIndependentDecodeAndAreaResize() throws Exception {
        // CUB's 227 px images at R = 224: a shrink by 1.3%, where area weights straddle cells.
        byte[] jpeg = TestImages.jpeg(TestImages.gradient(227, 240), false);
        RgbImage view = ImageViews.evalView(new ImageDecoder(1 << 30).decode(jpeg, "a.jpg"), 224);
        BufferedImage independent = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertCloseToReference(view, referenceEvalView(independent, 224), 0.5, 2);
    }

    @Test
    void evalViewHandlesTinyAndExtremeAspectImages() {
        RgbImage tiny = ImageViews.evalView(photo(8, 8), 64);
        assertEquals(64, tiny.height());
        assertEquals(64, tiny.width());
        RgbImage strip = ImageViews.evalView(photo(4000, 3), 64);
        assertEquals(64, strip.height());
        assertEquals(64, strip.width());
        // The centre of the strip: red (x ramp) near the middle of its range.
        assertEquals(127, strip.at(32, 32, 0), 3);
        RgbImage same = ImageViews.evalView(photo(64, 64), 64);
        assertArrayEquals(photo(64, 64).pixels(), same.pixels());
    }

    // ---- the training view ----

    @Test
    void trainViewIsDeterministicFromSeedImageAndCopy() {
        RgbImage image = photo(120, 90);
        DataConfig config = data(64, ALL_ON);
        RgbImage first = ImageViews.trainView(image, config, 42, "train/cls/a.jpg", 0);
        RgbImage again = ImageViews.trainView(image, config, 42, "train/cls/a.jpg", 0);
        assertArrayEquals(first.pixels(), again.pixels());
        assertFalse(Arrays.equals(first.pixels(), ImageViews.trainView(image, config, 42, "train/cls/a.jpg", 1).pixels()), "copy");
        assertFalse(Arrays.equals(first.pixels(), ImageViews.trainView(image, config, 42, "train/cls/b.jpg", 0).pixels()), "image id");
        assertFalse(Arrays.equals(first.pixels(), ImageViews.trainView(image, config, 43, "train/cls/a.jpg", 0).pixels()), "seed");
    }

    @Test
    void trainViewIsTheSameOnAnyThread() throws Exception {
        RgbImage image = photo(150, 100);
        DataConfig config = data(64, ALL_ON);
        List<byte[]> sequential = new ArrayList<>();
        for (int copy = 0; copy < 16; copy++) {
            sequential.add(ImageViews.trainView(image, config, 7, "img", copy).pixels());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> parallel = new ArrayList<>();
            for (int copy = 15; copy >= 0; copy--) {
                int c = copy;
                parallel.add(0, pool.submit(() -> ImageViews.trainView(image, config, 7, "img", c).pixels()));
            }
            for (int copy = 0; copy < 16; copy++) {
                assertArrayEquals(sequential.get(copy), parallel.get(copy).get(), "copy " + copy);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void disabledAugmentationGivesTheEvalView() {
        RgbImage image = photo(120, 90);
        RgbImage eval = ImageViews.evalView(image, 64);
        Augment disabled = new Augment(false, true, true, 0.4, 0.4, 0.4, 0.1, 30);
        for (int copy = 0; copy < 5; copy++) {
            assertArrayEquals(eval.pixels(), ImageViews.trainView(image, data(64, disabled), 1, "x", copy).pixels());
            assertArrayEquals(eval.pixels(), ImageViews.trainView(image, data(64, ALL_OFF), 1, "x", copy).pixels());
        }
    }

    /** Each augmentation alone, in turn: it changes some view, and with it switched off too the view is the eval view. */
    @Test
    void eachAugmentationSwitchedOnAloneChangesTheViewAndOffGivesTheEvalView() {
        RgbImage image = photo(120, 90);
        RgbImage eval = ImageViews.evalView(image, 64);
        List<Augment> alone = List.of(
                new Augment(true, true, false, 0, 0, 0, 0, 0),
                new Augment(true, false, true, 0, 0, 0, 0, 0),
                new Augment(true, false, false, 0.4, 0, 0, 0, 0),
                new Augment(true, false, false, 0, 0.4, 0, 0, 0),
                new Augment(true, false, false, 0, 0, 0.4, 0, 0),
                new Augment(true, false, false, 0, 0, 0, 0.1, 0),
                new Augment(true, false, false, 0, 0, 0, 0, 30));
        for (Augment augment : alone) {
            boolean changed = false;
            for (int copy = 0; copy < 8 && !changed; copy++) {
                changed = !Arrays.equals(eval.pixels(), ImageViews.trainView(image, data(64, augment), 3, "x", copy).pixels());
            }
            assertTrue(changed, augment + " never changed the view");
        }
    }

    @Test
    void horizontalFlipMirrorsTheEvalView() {
        RgbImage image = photo(90, 90);
        RgbImage eval = ImageViews.evalView(image, 64);
        Augment flipOnly = new Augment(true, false, true, 0, 0, 0, 0, 0);
        int flipped = 0;
        for (int copy = 0; copy < 20; copy++) {
            RgbImage view = ImageViews.trainView(image, data(64, flipOnly), 5, "x", copy);
            if (!Arrays.equals(eval.pixels(), view.pixels())) {
                flipped++;
                for (int c = 0; c < 3; c++) {
                    assertEquals(eval.at(10, 3, c), view.at(10, 60, c));
                }
            }
        }
        assertTrue(flipped > 3 && flipped < 17, "about half the views are flipped: " + flipped);
    }

    @Test
    void switchingOneAugmentationOffLeavesTheOthersDrawsAlone() {
        RgbImage image = photo(120, 90);
        Augment cropAndFlip = new Augment(true, true, true, 0, 0, 0, 0, 0);
        Augment cropFlipAndBrightness = new Augment(true, true, true, 0.4, 0, 0, 0, 0);
        for (int copy = 0; copy < 6; copy++) {
            RgbImage geometric = ImageViews.trainView(image, data(64, cropAndFlip), 9, "x", copy);
            RgbImage brighter = ImageViews.trainView(image, data(64, cropFlipAndBrightness), 9, "x", copy);
            // Same crop and flip: the brightness-jittered view is the other times one factor (where nothing clips).
            double lowest = Double.MAX_VALUE;
            double highest = 0;
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    for (int c = 0; c < 3; c++) {
                        if (geometric.at(y, x, c) >= 40 && brighter.at(y, x, c) < 250) {
                            double ratio = (double) brighter.at(y, x, c) / geometric.at(y, x, c);
                            lowest = Math.min(lowest, ratio);
                            highest = Math.max(highest, ratio);
                        }
                    }
                }
            }
            assertTrue(highest - lowest < 0.05, "copy " + copy + ": ratios from " + lowest + " to " + highest);
        }
    }

    @Test
    void randomCropMovesAlongTheLongerSide() {
        RgbImage wide = photo(300, 100);
        Augment cropOnly = new Augment(true, true, false, 0, 0, 0, 0, 0);
        int leftmostRed = 255;
        int rightmostRed = 0;
        for (int copy = 0; copy < 30; copy++) {
            RgbImage view = ImageViews.trainView(wide, data(64, cropOnly), 1, "w", copy);
            leftmostRed = Math.min(leftmostRed, view.at(32, 0, 0));
            rightmostRed = Math.max(rightmostRed, view.at(32, 63, 0));
        }
        // The red channel ramps with x: crops near both ends of the 300 px width were taken.
        assertTrue(leftmostRed < 40, "leftmost crop starts at red " + leftmostRed);
        assertTrue(rightmostRed > 215, "rightmost crop ends at red " + rightmostRed);
    }

    @Test
    void minCropAreaCropsSquaresOfRandomAreaAnywhereInsideTheImage() {
        // Red = x, green = y: a view's corners tell where its crop was and how large.
        int n = 256;
        byte[] pixels = new byte[n * n * 3];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                pixels[(y * n + x) * 3] = (byte) x;
                pixels[(y * n + x) * 3 + 1] = (byte) y;
            }
        }
        RgbImage coordinates = new RgbImage(n, n, pixels);
        Augment scale = new Augment(true, true, false, 0, 0, 0, 0, 0, 0.25);
        int smallestSide = n;
        int largestSide = 0;
        int largestLeft = 0;
        int largestTop = 0;
        for (int copy = 0; copy < 40; copy++) {
            RgbImage view = ImageViews.trainView(coordinates, data(64, scale), 3, "s", copy);
            int left = view.at(32, 0, 0);
            int top = view.at(0, 32, 1);
            double width = (view.at(32, 63, 0) - left) * 64.0 / 63;
            double height = (view.at(63, 32, 1) - top) * 64.0 / 63;
            // Square crops (no stretching), of area in [0.25, 1] of the image, inside it.
            assertEquals(width, height, 3, "copy " + copy + ": crop is " + width + " x " + height);
            assertTrue(width >= 0.5 * n - 3 && width <= n + 1, "copy " + copy + ": crop side " + width);
            smallestSide = Math.min(smallestSide, (int) width);
            largestSide = Math.max(largestSide, (int) width);
            largestLeft = Math.max(largestLeft, left);
            largestTop = Math.max(largestTop, top);
        }
        assertTrue(smallestSide < 0.6 * n && largestSide > 0.9 * n,
                "crop sides from " + smallestSide + " to " + largestSide + " px should span most of [128, 256]");
        // Unlike the whole-square crop, a smaller square moves along both sides of a square image.
        assertTrue(largestLeft > 40 && largestTop > 40, "crops start at most at x " + largestLeft + ", y " + largestTop);
    }

    @Test
    void rotationKeepsTheCentreAndFillsTheCornersFromTheImage() {
        RgbImage image = photo(64, 64);
        Augment rotationOnly = new Augment(true, false, false, 0, 0, 0, 0, 30);
        RgbImage view = ImageViews.trainView(image, data(64, rotationOnly), 2, "r", 0);
        for (int c = 0; c < 3; c++) {
            assertEquals(image.at(32, 32, c), view.at(32, 32, c), 6);
        }
        // Reflected borders: no black corner.
        assertTrue(view.at(0, 0, 0) + view.at(0, 0, 1) + view.at(0, 0, 2) > 0);
    }

    @Test
    void trainViewWorksOnTinyAndExtremeImages() {
        for (RgbImage image : List.of(photo(8, 8), photo(4000, 3), photo(3, 2000))) {
            RgbImage view = ImageViews.trainView(image, data(32, ALL_ON), 1, "t", 0);
            assertEquals(32, view.height());
            assertEquals(32, view.width());
        }
    }
}
