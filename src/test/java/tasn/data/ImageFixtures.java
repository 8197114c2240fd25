package tasn.data;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Small generated images and broken files for the ingest tests (java.awt + ImageIO). */
final class ImageFixtures {
    private ImageFixtures() {
    }

    /** A smooth picture: a colour gradient tinted by {@code tint}, with a disc; distinct per (tint, variant). */
    static BufferedImage picture(int width, int height, int tint, int variant) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / Math.max(1, width - 1) + tint * 70) % 256;
                int g = (y * 255 / Math.max(1, height - 1) + variant * 37) % 256;
                int b = ((x + y) * 127 / Math.max(1, width + height) + tint * 50 + variant * 11) % 256;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        Graphics2D g = image.createGraphics();
        g.setColor(new Color((tint * 90) % 256, 200, (variant * 60) % 256));
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    /** Writes a picture as PNG or JPEG (by the file's extension), creating folders. */
    static Path write(Path file, int width, int height, int tint, int variant) throws IOException {
        String name = file.getFileName().toString().toLowerCase();
        String format = name.endsWith(".png") ? "png" : "jpg";
        Files.createDirectories(file.getParent());
        Files.write(file, encode(picture(width, height, tint, variant), format));
        return file;
    }

    static Path writeBytes(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    /** The first half of a valid JPEG. */
    static byte[] truncatedJpeg() throws IOException {
        byte[] full = encode(picture(64, 48, 1, 1), "jpg");
        return Arrays.copyOf(full, full.length / 2);
    }

    static byte[] randomBytes(long seed, int n) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The ImageIO decode of a file as an interleaved RGB image. */
    static RgbImage decodeWithImageIO(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        int h = image.getHeight();
        int w = image.getWidth();
        byte[] px = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int o = (y * w + x) * 3;
                px[o] = (byte) (rgb >> 16);
                px[o + 1] = (byte) (rgb >> 8);
                px[o + 2] = (byte) rgb;
            }
        }
        return new RgbImage(h, w, px);
    }
}
