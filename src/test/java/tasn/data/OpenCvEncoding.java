package tasn.data;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** Test fixtures in the formats only OpenCV writes here (WebP). */
final class OpenCvEncoding {
    private OpenCvEncoding() {
    }

    static byte[] encode(RgbImage image, String extension, int webpQuality) {
        try (Mat rgb = OpenCvImages.toRgbMat(image);
             Mat bgr = new Mat();
             BytePointer out = new BytePointer();
             IntPointer params = new IntPointer(IMWRITE_WEBP_QUALITY, webpQuality)) {
            cvtColor(rgb, bgr, COLOR_RGB2BGR);
            if (!imencode(extension, bgr, out, params)) {
                throw new IllegalStateException("OpenCV cannot write " + extension);
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    /** A WebP of width x width/2 pixels: left half pixel {@code left}, right half {@code right}, each B, G, R, A. */
    static byte[] encodeBgra(int[] left, int[] right, int width, int webpQuality) {
        int height = width / 2;
        try (Mat bgra = new Mat(height, width, org.bytedeco.opencv.global.opencv_core.CV_8UC4);
             BytePointer out = new BytePointer();
             IntPointer params = new IntPointer(IMWRITE_WEBP_QUALITY, webpQuality)) {
            byte[] pixels = new byte[height * width * 4];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int[] p = x < width / 2 ? left : right;
                    for (int c = 0; c < 4; c++) {
                        pixels[(y * width + x) * 4 + c] = (byte) p[c];
                    }
                }
            }
            bgra.data().put(pixels);
            if (!imencode(".webp", bgra, out, params)) {
                throw new IllegalStateException("OpenCV cannot write WebP");
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }
}
