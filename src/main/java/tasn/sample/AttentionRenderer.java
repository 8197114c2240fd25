package tasn.sample;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tasn.config.ModelConfig;
import tasn.data.RgbImage;
import tasn.model.AttentionSampler;
import tasn.model.DetailMap;
import tasn.model.SamplingMagnification;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one image's evaluation view and its attention maps into the pictures of the export:
 * the structure- and detail-sampled images, K detail images from randomly chosen attention
 * channels (as training draws them), and a heat-map overlay of the attention on the view.
 *
 * <p>Every sampled image comes from the model's own vertices run in small graphs of their
 * own: {@link AttentionSampler} (TASN.md "The attention sampler") with the model's sampled
 * size, iterations and density bound, fed the view and a map; and for the random details
 * {@link DetailMap} in training mode, which picks one channel of the trilinear attention maps
 * per call, seeded here by the image id so an image's draws are the same in every run.
 * Pixels go in mean-subtracted, as the model saw them, and come back with the mean added.
 */
public final class AttentionRenderer {
    private final ModelConfig model;
    private final float[] channelMean;
    private final ComputationGraph sampler;

    /** The pictures of one image, as RGB images of the view's or the sampled size. */
    public record Pictures(RgbImage original, RgbImage structure, RgbImage detail, List<RgbImage> randomDetails,
                           RgbImage heatMap) {
    }

    public AttentionRenderer(ModelConfig model, float[] channelMean) {
        this.model = model;
        this.channelMean = channelMean.clone();
        this.sampler = samplerGraph(model);
    }

    /**
     * @param view          the R x R evaluation view
     * @param structureMap  (1, 1, R, R): the structure map (mean of the attention maps, squared)
     * @param detailMap     (1, 1, R, R): the test-time detail map (mean of the maps)
     * @param channelMaps   (1, C, h, w): the trilinear attention maps, or null for no random details
     * @param randomDetails K, how many random-channel detail images to draw
     * @param drawSeed      seeds the channel draws (the export passes a hash of the image id)
     */
    public Pictures render(RgbImage view, INDArray structureMap, INDArray detailMap, INDArray channelMaps,
                           int randomDetails, long drawSeed) {
        INDArray image = toTensor(view);
        RgbImage structure = toImage(sample(image, structureMap));
        RgbImage detail = toImage(sample(image, detailMap));
        List<RgbImage> random = new ArrayList<>();
        if (randomDetails > 0 && channelMaps != null) {
            ComputationGraph draws = detailDrawGraph(model, channelMaps, drawSeed);
            for (int k = 0; k < randomDetails; k++) {
                INDArray map = draws.output(true, channelMaps.castTo(DataType.FLOAT))[0];
                random.add(toImage(sample(image, map)));
            }
        }
        return new Pictures(view, structure, detail, random, HeatMap.overlay(view, detailMap));
    }

    /** The sampled S x S image (1, 3, S, S) of {@code image} under {@code map}. */
    public INDArray sample(INDArray image, INDArray map) {
        synchronized (sampler) {
            return sampler.output(false, image, map.castTo(DataType.FLOAT))[0].dup();
        }
    }

    /**
     * The peak magnification of the rows and columns that {@link #sample} takes under
     * {@code map} (1, 1, R, R): {@link SamplingMagnification} with the model's sampled size,
     * iterations and density bound, on the map as the sampler receives it (cast to float).
     */
    public SamplingMagnification.Peaks magnification(INDArray map) {
        return SamplingMagnification.of(map.castTo(DataType.FLOAT), model.sampledSize(), model.samplerIterations(),
                model.samplerDense());
    }

    /** (1, 3, R, R), mean-subtracted, as the model's input. */
    public INDArray toTensor(RgbImage view) {
        int h = view.height();
        int w = view.width();
        float[] data = new float[3 * h * w];
        byte[] px = view.pixels();
        for (int p = 0; p < h * w; p++) {
            for (int c = 0; c < 3; c++) {
                data[c * h * w + p] = (px[p * 3 + c] & 0xFF) - channelMean[c];
            }
        }
        return Nd4j.create(data, new long[]{1, 3, h, w}, 'c');
    }

    /** A (1, 3, H, W) mean-subtracted tensor back to 8-bit RGB (mean added, rounded, clamped). */
    public RgbImage toImage(INDArray tensor) {
        int h = (int) tensor.size(2);
        int w = (int) tensor.size(3);
        float[] data = tensor.castTo(DataType.FLOAT).dup('c').data().asFloat();
        byte[] px = new byte[3 * h * w];
        for (int p = 0; p < h * w; p++) {
            for (int c = 0; c < 3; c++) {
                long v = Math.round(data[c * h * w + p] + channelMean[c]);
                px[p * 3 + c] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return new RgbImage(h, w, px);
    }

    static BufferedImage toBuffered(RgbImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                out.setRGB(x, y, (image.at(y, x, 0) << 16) | (image.at(y, x, 1) << 8) | image.at(y, x, 2));
            }
        }
        return out;
    }

    private static ComputationGraph samplerGraph(ModelConfig m) {
        int r = m.inputSize();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("image", "map")
                .setInputTypes(InputType.convolutional(r, r, 3), InputType.convolutional(r, r, 1))
                .addVertex("sample", new AttentionSampler(m.sampledSize(), m.samplerIterations(), m.samplerDense()),
                        "image", "map")
                .setOutputs("sample").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static ComputationGraph detailDrawGraph(ModelConfig m, INDArray channelMaps, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("maps")
                .setInputTypes(InputType.convolutional(channelMaps.size(2), channelMaps.size(3), channelMaps.size(1)))
                .addVertex("detail_map", new DetailMap(m.inputSize(), seed, m.detailExponent()), "maps")
                .setOutputs("detail_map").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
