package tasn.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** The smallest ingestable image folder: classes ant and bee, four 40 x 32 PNGs each, in {@code root/<class>/}. */
final class AntBeeImages {
    private AntBeeImages() {
    }

    static Path write(Path root) throws IOException {
        for (String cls : List.of("ant", "bee")) {
            for (int i = 0; i < 4; i++) {
                BufferedImage image = new BufferedImage(40, 32, BufferedImage.TYPE_INT_RGB);
                image.setRGB(i, i, cls.equals("ant") ? 0xff0000 : 0x00ff00);
                Files.createDirectories(root.resolve(cls));
                ImageIO.write(image, "png", root.resolve(cls + "/" + i + ".png").toFile());
            }
        }
        return root;
    }
}
