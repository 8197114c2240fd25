package tasn.score;

import java.io.Serializable;
import java.util.List;

/**
 * The prediction for one image from one head: the most probable class, its probability, the
 * top k classes and probabilities (most probable first), the rank of the true class when it
 * is known (1 = predicted), or, when the image could not be scored, why.
 *
 * @param prediction -1 when the image was not scored
 * @param trueRank   1-based rank of the true class among all classes, 0 when unknown or unscored
 * @param error      null, or a short reason code (decode-failed, missing-file, ...)
 */
public record ScoredImage(int prediction, String predictionName, double probability, List<String> topLabels,
                          double[] topProbabilities, int trueRank, String error, String errorDetail)
        implements Serializable {

    static ScoredImage refused(String reason, String detail) {
        return new ScoredImage(-1, null, Double.NaN, List.of(), new double[0], 0, reason, detail);
    }

    /** Ranks {@code probabilities} (ties: the lower class index first). */
    static ScoredImage of(float[] probabilities, List<String> classes, int topK, int trueLabel) {
        Integer[] order = new Integer[probabilities.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Float.compare(probabilities[b], probabilities[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int k = Math.min(topK, order.length);
        String[] labels = new String[k];
        double[] top = new double[k];
        for (int i = 0; i < k; i++) {
            labels[i] = classes.get(order[i]);
            top[i] = probabilities[order[i]];
        }
        int rank = 0;
        if (trueLabel >= 0) {
            for (int i = 0; i < order.length; i++) {
                if (order[i] == trueLabel) {
                    rank = i + 1;
                    break;
                }
            }
        }
        return new ScoredImage(order[0], classes.get(order[0]), probabilities[order[0]], List.of(labels), top, rank,
                null, null);
    }
}
