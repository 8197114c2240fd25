package tasn.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import tasn.data.ImageDecoder;
import tasn.data.ImageExtensions;
import tasn.data.ImageViews;
import tasn.data.RgbImage;

/**
 * Images per second, one thread, of decode + eval view (resize the shorter side to SIZE,
 * centre crop) for our ImageDecoder (OpenCV) against ImageIO + Java2D bilinear, on every
 * image under each folder argument. Files are read into memory first: this measures the
 * decoders, not the disk. Prints one JSON line per (folder, decoder).
 * Usage: DecodeBenchmark SIZE SECONDS FOLDER...
 */
public final class DecodeBenchmark {

    interface Pipeline {
        void run(byte[] file, String name) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        double seconds = Double.parseDouble(args[1]);
        ImageDecoder decoder = new ImageDecoder(100_000_000L);
        for (int i = 2; i < args.length; i++) {
            Path folder = Path.of(args[i]);
            List<byte[]> files = new ArrayList<>();
            List<String> names = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path p : walk.filter(Files::isRegularFile).filter(p -> ImageExtensions.isImage(p.toString())).sorted().toList()) {
                    files.add(Files.readAllBytes(p));
                    names.add(p.toString());
                }
            }
            report(folder, "opencv-imagedecoder", files, names, seconds, (file, name) -> {
                RgbImage image = decoder.decode(file, name);
                ImageViews.evalView(image, size);
            });
            String reader = ImageIO.getImageReadersByFormatName("jpeg").next().getClass().getName();
            report(folder, "imageio-java2d-bilinear (" + reader + ")", files, names, seconds, (file, name) -> imageIoEvalView(file, size));
        }
    }

    private static void report(Path folder, String pipeline, List<byte[]> files, List<String> names, double seconds, Pipeline run)
            throws Exception {
        for (int k = 0; k < Math.min(files.size(), 50); k++) { // warm-up: JIT, native loading
            run.run(files.get(k), names.get(k));
        }
        long start = System.nanoTime();
        long images = 0;
        do {
            for (int k = 0; k < files.size(); k++) {
                run.run(files.get(k), names.get(k));
            }
            images += files.size();
        } while (System.nanoTime() - start < seconds * 1e9);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"folder\":\"%s\",\"pipeline\":\"%s\",\"images\":%d,\"seconds\":%.2f,\"images_per_s\":%.0f,\"threads\":1}%n",
                folder, pipeline, images, elapsed, images / elapsed);
    }

    /** ImageIO decode (the first registered reader), then Java2D bilinear draw of the centre square to size x size. */
    private static void imageIoEvalView(byte[] file, int size) throws IOException {
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in, true, true);
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        }
        int side = Math.min(image.getWidth(), image.getHeight());
        int x0 = (image.getWidth() - side) / 2;
        int y0 = (image.getHeight() - side) / 2;
        BufferedImage view = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = view.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, size, size, x0, y0, x0 + side, y0 + side, null);
        g.dispose();
    }

    private DecodeBenchmark() {
    }
}
