package tasn.data;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Turns a file's bytes into an 8-bit RGB image, or rejects it with a reason.
 *
 * <p>Steps: the header is read first ({@link ImageHeader}: format from the magic number, the
 * claimed size, completeness), so empty, truncated, non-image, unsupported and oversized files
 * are rejected before any pixel is decoded. JPEG, PNG, BMP and WebP are then decoded by OpenCV
 * (libjpeg-turbo, libpng, libwebp; JPEG with {@code IMREAD_COLOR}, which applies the EXIF
 * orientation and converts grey and CMYK/YCCK to colour); GIF, which OpenCV 4.5.5 lacks, by
 * the JDK's ImageIO (first frame). Whatever the source (grey, palette, 16-bit, alpha) the
 * result is 8-bit RGB; alpha is composited onto white. A decoder that still fails gives
 * {@code decode-failed}: nothing here throws anything but {@link ImageRejected}.
 */
public final class ImageDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long maxPixels;

    /** @param maxPixels images whose header claims more pixels than this are rejected undecoded */
    public ImageDecoder(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be at least 1, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    /** @param fileName names the file in reject messages; the format comes from the bytes */
    public RgbImage decode(byte[] fileBytes, String fileName) throws ImageRejected {
        if (fileBytes == null || fileBytes.length == 0) {
            throw new ImageRejected(ImageRejected.EMPTY_FILE, fileName + ": the file is empty (0 bytes)");
        }
        ImageHeader header = ImageHeader.read(fileBytes, fileName);
        if (header.pixels() > maxPixels) {
            throw new ImageRejected(ImageRejected.TOO_MANY_PIXELS, fileName + ": " + header.format() + " header claims "
                    + header.width() + "x" + header.height() + " = " + header.pixels() + " pixels, more than data.max-pixels = "
                    + maxPixels + "; raise data.max-pixels or shrink the image");
        }
        if (!header.complete()) {
            throw new ImageRejected(ImageRejected.TRUNCATED, fileName + ": the " + header.format()
                    + " data ends early (no end marker); the file is truncated, copy it again");
        }
        RgbImage image;
        try {
            image = header.format() == ImageHeader.Format.GIF ? decodeWithImageIo(fileBytes) : decodeWithOpenCv(fileBytes, header);
        } catch (RuntimeException | IOException e) {
            throw new ImageRejected(ImageRejected.DECODE_FAILED, fileName + ": " + header.format() + " decoder failed: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new ImageRejected(ImageRejected.DECODE_FAILED, fileName + ": the " + header.format()
                    + " decoder could not read the pixels (corrupt data)");
        }
        return image;
    }

    private static RgbImage decodeWithOpenCv(byte[] bytes, ImageHeader header) {
        // JPEG: IMREAD_COLOR applies EXIF orientation. Others: UNCHANGED keeps alpha and 16 bits for us to convert.
        int flags = header.format() == ImageHeader.Format.JPEG ? IMREAD_COLOR : IMREAD_UNCHANGED;
        try (BytePointer data = new BytePointer(bytes);
             Mat encoded = new Mat(1, bytes.length, CV_8UC1, data);
             Mat decoded = imdecode(encoded, flags)) {
            if (decoded == null || decoded.empty()) {
                return null;
            }
            if (decoded.depth() == CV_8U) {
                return OpenCvImages.fromDecoded(decoded);
            }
            if (decoded.depth() != CV_16U) {
                throw new IllegalStateException("unexpected sample depth " + decoded.depth());
            }
            try (Mat eightBit = new Mat()) {
                decoded.convertTo(eightBit, CV_8U, 1.0 / 257.0, 0.0);
                return OpenCvImages.fromDecoded(eightBit);
            }
        }
    }

    private static RgbImage decodeWithImageIo(byte[] bytes) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                BufferedImage frame = reader.read(0);
                return fromBufferedImage(frame);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Draws any BufferedImage onto white (compositing transparency) and takes its RGB bytes. */
    static RgbImage fromBufferedImage(BufferedImage source) {
        int h = source.getHeight();
        int w = source.getWidth();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.drawImage(source, 0, 0, null);
        } finally {
            g.dispose();
        }
        int[] argb = rgb.getRGB(0, 0, w, h, null, 0, w);
        byte[] pixels = new byte[h * w * 3];
        for (int p = 0; p < argb.length; p++) {
            pixels[p * 3] = (byte) (argb[p] >> 16);
            pixels[p * 3 + 1] = (byte) (argb[p] >> 8);
            pixels[p * 3 + 2] = (byte) argb[p];
        }
        return new RgbImage(h, w, pixels);
    }
}
