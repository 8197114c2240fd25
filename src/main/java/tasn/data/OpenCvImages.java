package tasn.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Moves pixels between {@link RgbImage} and OpenCV's native {@link Mat}. Every Mat made here
 * belongs to the caller, who closes it (try-with-resources): the ingest job decodes hundreds
 * of thousands of images per executor, and native memory is not collected with the heap.
 */
final class OpenCvImages {
    private OpenCvImages() {
    }

    /** A new 8-bit 3-channel Mat holding the image's bytes in R, G, B order. */
    static Mat toRgbMat(RgbImage image) {
        Mat mat = new Mat(image.height(), image.width(), CV_8UC3);
        mat.data().put(image.pixels());
        return mat;
    }

    /** Copies an 8-bit 3-channel Mat whose channels are already R, G, B. */
    static RgbImage fromRgbMat(Mat mat) {
        if (mat.depth() != CV_8U || mat.channels() != 3) {
            throw new IllegalArgumentException("expected an 8-bit 3-channel Mat, got depth " + mat.depth() + " with " + mat.channels() + " channels");
        }
        byte[] pixels = new byte[mat.rows() * mat.cols() * 3];
        if (mat.isContinuous()) {
            mat.data().get(pixels);
        } else {
            try (Mat copy = mat.clone()) {
                copy.data().get(pixels);
            }
        }
        return new RgbImage(mat.rows(), mat.cols(), pixels);
    }

    /**
     * An 8-bit RGB image from a decoded Mat of 1, 3 or 4 channels in OpenCV's order (grey,
     * BGR, BGRA). Alpha is composited onto white: the colour under a transparent pixel is
     * arbitrary (often black), while white is how such images are shown.
     */
    static RgbImage fromDecoded(Mat mat) {
        int channels = mat.channels();
        if (channels == 4) {
            return compositeOnWhite(mat);
        }
        try (Mat rgb = new Mat()) {
            if (channels == 1) {
                cvtColor(mat, rgb, COLOR_GRAY2RGB);
            } else if (channels == 3) {
                cvtColor(mat, rgb, COLOR_BGR2RGB);
            } else {
                throw new IllegalArgumentException("cannot make RGB from " + channels + " channels");
            }
            return fromRgbMat(rgb);
        }
    }

    private static RgbImage compositeOnWhite(Mat bgra) {
        int h = bgra.rows();
        int w = bgra.cols();
        byte[] in = new byte[h * w * 4];
        if (bgra.isContinuous()) {
            bgra.data().get(in);
        } else {
            try (Mat copy = bgra.clone()) {
                copy.data().get(in);
            }
        }
        byte[] out = new byte[h * w * 3];
        for (int p = 0; p < h * w; p++) {
            int a = in[p * 4 + 3] & 0xFF;
            int white = 255 * (255 - a);
            for (int c = 0; c < 3; c++) {
                int v = in[p * 4 + 2 - c] & 0xFF; // BGRA -> R, G, B
                out[p * 3 + c] = (byte) ((v * a + white + 127) / 255);
            }
        }
        return new RgbImage(h, w, out);
    }
}
