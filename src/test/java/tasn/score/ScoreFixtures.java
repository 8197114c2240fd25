package tasn.score;

import org.deeplearning4j.nn.graph.ComputationGraph;
import tasn.config.ConfigLoader;
import tasn.config.ModelConfig;
import tasn.model.TasnGraph;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** A tiny saved TASN and small image folders for the score and sample tests. */
public final class ScoreFixtures {
    public static final List<String> CLASSES = List.of("ant", "bee", "cicada");
    public static final float[] MEAN = {120f, 110f, 100f};

    private ScoreFixtures() {
    }

    /** The tiny preset shrunk further: 32 px input, 16 px attention and sampled views, three classes. */
    public static ModelConfig tinyModel() {
        return ConfigLoader.load("tiny", List.of("data.raw-size=32", "model.attention-size=16", "model.sampled-size=16",
                "model.num-classes=" + CLASSES.size(), "model.attention.head-channels=8")).model();
    }

    /** Builds an untrained tiny TASN (its random weights still give distinct predictions) and saves it. */
    public static Path saveTinyModel(Path file) throws IOException {
        ModelConfig model = tinyModel();
        ComputationGraph graph = TasnGraph.build(model);
        ModelArchive.save(file.toFile(), graph, model, CLASSES, MEAN);
        return file;
    }

    /** root/<class>/<i>.png for every class: coloured pictures of varied sizes with a mark. */
    public static Path imageFolder(Path root, int perClass, long seed) throws IOException {
        Random random = new Random(seed);
        for (int c = 0; c < CLASSES.size(); c++) {
            for (int i = 0; i < perClass; i++) {
                Path file = root.resolve(CLASSES.get(c)).resolve("img-" + i + ".png");
                Files.createDirectories(file.getParent());
                ImageIO.write(picture(40 + random.nextInt(30), 30 + random.nextInt(30), c, random), "png", file.toFile());
            }
        }
        return root;
    }

    static BufferedImage picture(int width, int height, int cls, Random random) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(60 + random.nextInt(120), 60 + random.nextInt(120), 60 + random.nextInt(120)));
        g.fillRect(0, 0, width, height);
        g.setColor(cls == 0 ? Color.RED : cls == 1 ? Color.GREEN : Color.BLUE);
        g.fillOval(random.nextInt(width / 2), random.nextInt(height / 2), width / 3, height / 3);
        g.dispose();
        return image;
    }
}
