package tasn.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import tasn.config.ConfigLoader;
import tasn.config.ModelConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Model configurations and generated images for the TASN graph tests. */
final class TasnFixtures {
    private TasnFixtures() {
    }

    /** The tiny preset with overrides, for example a smaller size or fewer classes. */
    static ModelConfig tiny(String... overrides) {
        List<String> all = new ArrayList<>(List.of(overrides));
        return ConfigLoader.load("tiny", all).model();
    }

    /** A very small TASN for gradient checks: 12 px input, 8 px attention and sampled views. */
    static ModelConfig minute(String... extra) {
        List<String> all = new ArrayList<>(List.of(
                "data.raw-size=12", "model.attention-size=8", "model.sampled-size=8", "model.num-classes=3",
                "model.attention.layers=[1,1]", "model.attention.width=2", "model.attention.strides=[1,2]",
                "model.attention.head-channels=1",
                "model.backbone.layers=[1,1]", "model.backbone.width=2", "model.backbone.strides=[1,2]"));
        all.addAll(List.of(extra));
        return ConfigLoader.load("tiny", all).model();
    }

    /** One-hot labels (N, K) of {@code classes}. */
    static INDArray oneHot(int[] classes, int k, DataType type) {
        INDArray y = Nd4j.zeros(type, classes.length, k);
        for (int i = 0; i < classes.length; i++) {
            y.putScalar(i, classes[i], 1.0);
        }
        return y;
    }

    /** A TASN training batch: the images and, for each of the six outputs, the same labels. */
    static MultiDataSet tasnBatch(INDArray images, INDArray labels) {
        INDArray[] ys = new INDArray[TasnGraph.OUTPUTS.size()];
        java.util.Arrays.fill(ys, labels);
        return new MultiDataSet(new INDArray[]{images}, ys);
    }

    /**
     * A generated fine-grained task: a grey, noisy R x R image with a large square of a random
     * colour somewhere, and inside it a small mark whose colour is the class (red, green,
     * blue, yellow). Mean-subtracted, so values are around zero in units of 1/255 * 255.
     */
    static Batch markedSquares(int n, int size, long seed) {
        Random random = new Random(seed);
        float[][] palette = {{220, 30, 30}, {30, 200, 30}, {40, 40, 230}, {230, 220, 30}};
        INDArray images = Nd4j.create(DataType.FLOAT, n, 3, size, size);
        int[] classes = new int[n];
        int square = size / 3;
        int mark = Math.max(2, size / 12);
        for (int i = 0; i < n; i++) {
            classes[i] = random.nextInt(palette.length);
            float[] squareColour = {60 + random.nextInt(140), 60 + random.nextInt(140), 60 + random.nextInt(140)};
            int sy = random.nextInt(size - square), sx = random.nextInt(size - square);
            int my = sy + 1 + random.nextInt(square - mark - 1), mx = sx + 1 + random.nextInt(square - mark - 1);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    for (int c = 0; c < 3; c++) {
                        float v = 128 + (float) random.nextGaussian() * 20;
                        if (y >= sy && y < sy + square && x >= sx && x < sx + square) {
                            v = squareColour[c];
                        }
                        if (y >= my && y < my + mark && x >= mx && x < mx + mark) {
                            v = palette[classes[i]][c];
                        }
                        images.putScalar(new long[]{i, c, y, x}, (v - 120) / 64f);
                    }
                }
            }
        }
        return new Batch(images, classes);
    }

    record Batch(INDArray images, int[] classes) {
    }
}
