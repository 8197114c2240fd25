package tasn.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_COMPRESSION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import tasn.config.DataConfig.PixelEncoding;

/**
 * The pixel bytes of a shard row, in the encoding {@code data.encoding} names: RAW is the
 * decoded uint8 RGB image channel-major (C, H, W), the layout a model's input tensor takes;
 * JPEG (lossy, at {@code data.jpeg-quality}) and PNG (lossless) are the usual files.
 */
public final class PixelCodec {
    /** PNG compression level: 1 favours speed (shards are compressed again by Parquet). */
    private static final int PNG_COMPRESSION = 1;

    private PixelCodec() {
    }

    public static byte[] encode(RgbImage image, PixelEncoding encoding, int jpegQuality) {
        return switch (encoding) {
            case RAW -> toChannelMajor(image);
            case JPEG -> encodeWithOpenCv(image, ".jpg", new int[]{IMWRITE_JPEG_QUALITY, jpegQuality});
            case PNG -> encodeWithOpenCv(image, ".png", new int[]{IMWRITE_PNG_COMPRESSION, PNG_COMPRESSION});
        };
    }

    /** The image stored by {@link #encode}; its size must be height x width. */
    public static RgbImage decode(byte[] data, PixelEncoding encoding, int height, int width) {
        RgbImage image = switch (encoding) {
            case RAW -> fromChannelMajor(data, height, width);
            case JPEG, PNG -> decodeWithOpenCv(data, encoding);
        };
        if (image.height() != height || image.width() != width) {
            throw new IllegalArgumentException(encoding.key() + " pixels hold a " + image.height() + "x" + image.width()
                    + " image, the row says " + height + "x" + width);
        }
        return image;
    }

    private static byte[] toChannelMajor(RgbImage image) {
        int plane = image.height() * image.width();
        byte[] in = image.pixels();
        byte[] out = new byte[in.length];
        for (int p = 0; p < plane; p++) {
            out[p] = in[p * 3];
            out[plane + p] = in[p * 3 + 1];
            out[2 * plane + p] = in[p * 3 + 2];
        }
        return out;
    }

    private static RgbImage fromChannelMajor(byte[] data, int height, int width) {
        int plane = height * width;
        if (data.length != 3 * plane) {
            throw new IllegalArgumentException("raw pixels of a " + height + "x" + width + " image need " + 3 * plane
                    + " bytes, got " + data.length);
        }
        byte[] out = new byte[data.length];
        for (int p = 0; p < plane; p++) {
            out[p * 3] = data[p];
            out[p * 3 + 1] = data[plane + p];
            out[p * 3 + 2] = data[2 * plane + p];
        }
        return new RgbImage(height, width, out);
    }

    private static byte[] encodeWithOpenCv(RgbImage image, String extension, int[] params) {
        try (Mat rgb = OpenCvImages.toRgbMat(image);
             Mat bgr = new Mat();
             BytePointer encoded = new BytePointer();
             IntPointer parameters = new IntPointer(params)) {
            cvtColor(rgb, bgr, COLOR_RGB2BGR);
            if (!imencode(extension, bgr, encoded, parameters)) {
                throw new IllegalStateException("OpenCV could not encode a " + image.height() + "x" + image.width() + " image as " + extension);
            }
            byte[] out = new byte[(int) encoded.limit()];
            encoded.get(out);
            return out;
        }
    }

    private static RgbImage decodeWithOpenCv(byte[] data, PixelEncoding encoding) {
        try (BytePointer bytes = new BytePointer(data);
             Mat encoded = new Mat(1, data.length, CV_8UC1, bytes);
             Mat decoded = imdecode(encoded, IMREAD_COLOR)) {
            if (decoded.empty()) {
                throw new IllegalArgumentException("corrupt " + encoding.key() + " pixels (" + data.length + " bytes)");
            }
            return OpenCvImages.fromDecoded(decoded);
        }
    }
}
