package tasn.sample;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tasn.config.ModelConfig;
import tasn.data.RgbImage;
import tasn.model.TasnGraph;
import tasn.score.ScoreFixtures;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The export's sampling path: the model's own sampler vertex, fed maps. */
class AttentionRendererTest {
    private static final float[] MEAN = ScoreFixtures.MEAN;

    private static RgbImage randomView(int size, long seed) {
        byte[] px = new byte[size * size * 3];
        new Random(seed).nextBytes(px);
        return new RgbImage(size, size, px);
    }

    @Test
    void uniformMapGivesAnAlignCornersBilinearResize() {
        ModelConfig model = ScoreFixtures.tinyModel();
        int r = model.inputSize();
        int s = model.sampledSize();
        RgbImage view = randomView(r, 3);
        AttentionRenderer renderer = new AttentionRenderer(model, MEAN);
        INDArray uniform = Nd4j.ones(DataType.FLOAT, 1, 1, r, r);
        AttentionRenderer.Pictures pictures = renderer.render(view, uniform, uniform, null, 0, 1);
        for (RgbImage sampled : new RgbImage[]{pictures.structure(), pictures.detail()}) {
            assertEquals(s, sampled.height());
            assertEquals(s, sampled.width());
            double scale = (r - 1.0) / (s - 1.0);
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    for (int c = 0; c < 3; c++) {
                        double expected = bilinear(view, y * scale, x * scale, c);
                        assertEquals(expected, sampled.at(y, x, c), 1.0, "pixel " + y + "," + x + "," + c);
                    }
                }
            }
        }
        assertEquals(view, pictures.original());
    }

    @Test
    void theExportSamplesExactlyWhatTheModelSampled() {
        ModelConfig model = ScoreFixtures.tinyModel();
        ComputationGraph graph = TasnGraph.build(model);
        RgbImage view = randomView(model.inputSize(), 5);
        AttentionRenderer renderer = new AttentionRenderer(model, MEAN);
        INDArray image = renderer.toTensor(view);
        Map<String, INDArray> a = graph.feedForward(new INDArray[]{image}, false, true);
        INDArray ours = renderer.sample(image, a.get(TasnGraph.STRUCTURE_MAP));
        INDArray theirs = a.get(TasnGraph.STRUCTURE_SAMPLE);
        assertTrue(ours.equalsWithEps(theirs, 1e-4), "structure sample differs from the graph's own");
        AttentionRenderer.Pictures pictures = renderer.render(view, a.get(TasnGraph.STRUCTURE_MAP),
                a.get(TasnGraph.DETAIL_MAP), a.get(AttentionExport.CHANNEL_MAPS), 3, 11);
        assertEquals(3, pictures.randomDetails().size());
        byte[] expected = renderer.toImage(theirs).pixels();
        byte[] written = pictures.structure().pixels();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] & 0xFF, written[i] & 0xFF, 1, "structure.png byte " + i);
        }
        assertEquals(view.height(), pictures.heatMap().height());
    }

    /** Align-corners bilinear interpolation of channel c at (y, x), by hand. */
    private static double bilinear(RgbImage image, double y, double x, int c) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        int y1 = Math.min(y0 + 1, image.height() - 1);
        int x1 = Math.min(x0 + 1, image.width() - 1);
        double dy = y - y0;
        double dx = x - x0;
        return (1 - dy) * ((1 - dx) * image.at(y0, x0, c) + dx * image.at(y0, x1, c))
                + dy * ((1 - dx) * image.at(y1, x0, c) + dx * image.at(y1, x1, c));
    }
}
