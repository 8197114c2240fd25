package tasn.bench;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.math3.distribution.BinomialDistribution;
import tasn.score.PredictionSchema;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two models' predictions on the same test images, compared image by image (McNemar's test):
 * of the images exactly one model gets right, how many are TASN's. Under "neither model is
 * better", each such image is TASN's with probability 1/2, so the two-sided exact p-value is
 * twice the binomial tail of the smaller count. Unlike two separate accuracies' standard errors,
 * this uses the pairing: the many images both models get right (or wrong) carry no evidence.
 *
 * <p>Input: the score job's {@code predictions.csv} of each model ({@link PredictionSchema}'s
 * id, label, prediction and error columns). Both must hold the same images, each scored.
 */
record PairedComparison(int images, int bothRight, int onlyFirstRight, int onlySecondRight, int bothWrong) {

    /** Compares {@code first} (TASN) with {@code second} (the baseline), both score-job predictions.csv files. */
    static PairedComparison of(Path first, Path second) throws IOException {
        Map<String, Boolean> a = correctness(first);
        Map<String, Boolean> b = correctness(second);
        if (!a.keySet().equals(b.keySet())) {
            throw new IOException(first + " and " + second + " do not hold the same images (" + a.size() + " and "
                    + b.size() + " ids); score the same test split with both models");
        }
        int both = 0, onlyA = 0, onlyB = 0, neither = 0;
        for (Map.Entry<String, Boolean> e : a.entrySet()) {
            boolean right = e.getValue();
            boolean other = b.get(e.getKey());
            if (right && other) {
                both++;
            } else if (right) {
                onlyA++;
            } else if (other) {
                onlyB++;
            } else {
                neither++;
            }
        }
        return new PairedComparison(a.size(), both, onlyA, onlyB, neither);
    }

    double firstTop1() {
        return (double) (bothRight + onlyFirstRight) / images;
    }

    double secondTop1() {
        return (double) (bothRight + onlySecondRight) / images;
    }

    /** McNemar's exact two-sided p-value: 2 P(X <= min(b, c)), X ~ Binomial(b + c, 1/2), at most 1. */
    double mcNemarP() {
        int discordant = onlyFirstRight + onlySecondRight;
        if (discordant == 0) {
            return 1.0;
        }
        double tail = new BinomialDistribution(null, discordant, 0.5)
                .cumulativeProbability(Math.min(onlyFirstRight, onlySecondRight));
        return Math.min(1.0, 2 * tail);
    }

    /** id -> whether the prediction equals the label; refuses unscored or unlabelled rows. */
    private static Map<String, Boolean> correctness(Path predictions) throws IOException {
        if (!Files.exists(predictions)) {
            throw new IOException(predictions + " does not exist; score the test split first (bench/accuracy.sh does)");
        }
        Map<String, Boolean> right = new TreeMap<>();
        try (Reader in = Files.newBufferedReader(predictions);
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
            for (CSVRecord row : csv) {
                String id = row.get(PredictionSchema.ID);
                String label = row.get(PredictionSchema.LABEL);
                if (!row.get(PredictionSchema.ERROR).isEmpty() || label.isEmpty()) {
                    throw new IOException(predictions + ": image " + id + " (" + row.get(PredictionSchema.PATH) + ") was not scored or has "
                            + "no label; a paired comparison needs every test image scored by both models");
                }
                if (right.put(id, label.equals(row.get(PredictionSchema.PREDICTION))) != null) {
                    throw new IOException(predictions + ": image id " + id + " appears twice");
                }
            }
        }
        return right;
    }
}
