package tasn.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference with a TASN or baseline graph (TASN.md "Master net and part net": at test time
 * the master head predicts, every head is reported). One feed-forward in test mode gives, for
 * a batch of mean-subtracted images (N, 3, R, R): each classifier head's class probabilities,
 * the structure and detail maps (N, 1, R, R; at test time the detail map is the maps' mean)
 * and the two sampled images (N, 3, S, S). A baseline gives only {@link TasnGraph#HEAD_MASTER}
 * and no maps.
 */
public final class TasnPredictor {
    private final ComputationGraph graph;
    private final boolean baseline;

    public TasnPredictor(ComputationGraph graph) {
        this.graph = graph;
        this.baseline = TasnGraph.isBaseline(graph);
    }

    /** What one batch gives: probabilities per head name; maps and views null for a baseline. */
    public record Prediction(Map<String, INDArray> probabilities, INDArray structureMap, INDArray detailMap,
                             INDArray structureSample, INDArray detailSample) {
        /** The master head's probabilities: the paper's prediction. */
        public INDArray master() {
            return probabilities.get(TasnGraph.HEAD_MASTER);
        }
    }

    public boolean isBaseline() {
        return baseline;
    }

    /** The heads this graph predicts with, in output order. */
    public List<String> heads() {
        return baseline ? List.of(TasnGraph.HEAD_MASTER) : TasnGraph.CLASSIFIERS;
    }

    /** Predicts a batch (test mode: no random detail channel, BatchNorm running statistics). */
    public Prediction predict(INDArray images) {
        if (images.rank() != 4 || images.size(1) != 3) {
            throw new IllegalArgumentException("expected images of shape (N, 3, R, R), got " + java.util.Arrays.toString(images.shape()));
        }
        synchronized (graph) {
            if (baseline) {
                INDArray p = graph.outputSingle(false, images);
                return new Prediction(Map.of(TasnGraph.HEAD_MASTER, p), null, null, null, null);
            }
            Map<String, INDArray> a = graph.feedForward(new INDArray[]{images}, false, true);
            Map<String, INDArray> probabilities = new LinkedHashMap<>();
            for (String head : TasnGraph.CLASSIFIERS) {
                probabilities.put(head, a.get(head));
            }
            return new Prediction(probabilities, a.get(TasnGraph.STRUCTURE_MAP), a.get(TasnGraph.DETAIL_MAP),
                    a.get(TasnGraph.STRUCTURE_SAMPLE), a.get(TasnGraph.DETAIL_SAMPLE));
        }
    }
}
