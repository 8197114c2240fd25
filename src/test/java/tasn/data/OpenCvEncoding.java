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
}
