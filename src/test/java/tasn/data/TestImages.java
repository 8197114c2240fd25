package tasn.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.function.IntBinaryOperator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Image fixtures built in the test: Java2D images written by the JDK's own ImageIO writers, and hand-made bytes. */
final class TestImages {
    private TestImages() {
    }

    /** A BufferedImage of the given type whose pixel (x, y) is the ARGB value {@code argb(x, y)}. */
    static BufferedImage painted(int width, int height, int type, IntBinaryOperator argb) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, argb.applyAsInt(x, y));
            }
        }
        return image;
    }

    static int rgb(int r, int g, int b) {
        return 0xFF000000 | r << 16 | g << 8 | b;
    }

    static int argb(int a, int r, int g, int b) {
        return a << 24 | r << 16 | g << 8 | b;
    }

    /** A smooth colour image: gradients in every channel, so resampling differences stay small. */
    static BufferedImage gradient(int width, int height) {
        return painted(width, height, BufferedImage.TYPE_3BYTE_BGR, (x, y) -> rgb(
                (int) (255.0 * x / Math.max(1, width - 1)),
                (int) (255.0 * y / Math.max(1, height - 1)),
                (int) (127 + 100 * Math.sin((x + y) / 17.0))));
    }

    /** Writes with the JDK's writer for {@code format} ("png", "bmp", "gif", "tiff"; JPEG: {@link #jpeg}). */
    static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A baseline or progressive JPEG, quality 0.95, from the JDK's own writer. */
    static byte[] jpeg(BufferedImage image, boolean progressive) {
        ImageWriter writer = jdkJpegWriter();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.95f);
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        return writeJpeg(writer, new IIOImage(image, null, null), param);
    }

    /**
     * A 4-component JPEG as Photoshop writes them: an Adobe APP14 marker and inverted CMYK
     * samples ({@code transform} 0), or YCCK ({@code transform} 2: the first three inverted
     * components stored as YCbCr). Every pixel is the colour whose ink is (c, m, y, k) in 0-1.
     */
    static byte[] adobeCmykJpeg(int width, int height, double c, double m, double y, double k, int transform) {
        int[] stored = {inverted(c), inverted(m), inverted(y), inverted(k)};
        if (transform == 2) {
            // libjpeg's YCCK -> CMYK: R, G, B from YCbCr, then C' = 255 - R, M' = 255 - G, Y' = 255 - B.
            double r = 255 - stored[0];
            double g = 255 - stored[1];
            double b = 255 - stored[2];
            stored[0] = (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
            stored[1] = (int) Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
            stored[2] = (int) Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
            for (int i = 0; i < 3; i++) {
                stored[i] = Math.max(0, Math.min(255, stored[i]));
            }
        }
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                raster.setPixel(col, row, stored);
            }
        }
        ImageWriter writer = jdkJpegWriter();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(1.0f);
        byte[] raw = writeJpeg(writer, new IIOImage(raster, null, null), param);
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
        return insertAfterSoi(raw, adobe);
    }

    private static int inverted(double ink) {
        return (int) Math.round(255 * (1 - ink));
    }

    /**
     * A JPEG carrying an EXIF APP1 segment whose only tag is Orientation (0x0112) = {@code orientation},
     * in big-endian TIFF layout.
     */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] app1 = {
                (byte) 0xFF, (byte) 0xE1, 0, 34,                  // APP1, length 34
                'E', 'x', 'i', 'f', 0, 0,                         // EXIF identifier
                'M', 'M', 0, 42, 0, 0, 0, 8,                      // TIFF header, big-endian, IFD0 at 8
                0, 1,                                             // one entry
                0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, count 1
                0, 0, 0, 0};                                      // no next IFD
        return insertAfterSoi(jpeg, app1);
    }

    static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
        byte[] out = new byte[jpeg.length + segment.length];
        out[0] = jpeg[0];
        out[1] = jpeg[1];
        System.arraycopy(segment, 0, out, 2, segment.length);
        System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
        return out;
    }

    private static ImageWriter jdkJpegWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter writer = it.next();
            if (writer.getClass().getName().startsWith("com.sun.imageio")) {
                return writer;
            }
        }
        throw new IllegalStateException("the JDK's JPEG writer is missing");
    }

    private static byte[] writeJpeg(ImageWriter writer, IIOImage image, ImageWriteParam param) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The mean of each channel over the image. */
    static double[] meanRgb(RgbImage image) {
        double[] sum = new double[3];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    sum[c] += image.at(y, x, c);
                }
            }
        }
        int n = image.height() * image.width();
        return new double[]{sum[0] / n, sum[1] / n, sum[2] / n};
    }

    static RgbImage fromBufferedImage(BufferedImage image) {
        return ImageDecoder.fromBufferedImage(image);
    }
}
