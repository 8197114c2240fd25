package tasn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The accuracy benchmark over several training seeds (bench/accuracy_seeds.sh): one TASN run and
 * one baseline run per seed, all on the same shards, summarised as the mean test top-1 of each
 * model, the spread of each between seeds, and the mean gain with its 95% interval.
 *
 * <p>Why: one pair of runs compares two draws. Between training seeds (initial weights, which
 * augmentation copy each epoch reads, the order of the batches) the final test top-1 of either
 * model moves by several points, more than McNemar's test on one pair can see, since that test
 * covers only the sampling of the test images. The seeds of the two models are independent
 * draws, so the interval is Welch's: the difference of the two means, its standard error
 * sqrt(s_T^2/n_T + s_B^2/n_B), and Student's t at the Welch-Satterthwaite degrees of freedom.
 *
 * <p>Arguments: DATA_SET OUT_PNG SEED_DIR..., each SEED_DIR holding {@code tasn/} and
 * {@code baseline/} run directories (bench/accuracy.sh's layout for one data set) and, when the
 * test split was scored, their {@code *-test-predictions/predictions.csv}. The seed is read
 * from each run's resolved {@code config.conf}.
 */
public final class SeedSpread {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Color TASN = new Color(200, 40, 40);
    private static final Color BASELINE = new Color(40, 80, 200);

    private SeedSpread() {
    }

    /** One seed's pair of runs: the final-epoch test top-1 of each, and their epoch lines for the chart. */
    record SeedRuns(long seed, List<JsonNode> tasn, List<JsonNode> baseline, PairedComparison paired) {
        double tasnTop1() {
            return AccuracyReport.top1(AccuracyReport.last(tasn), AccuracyReport.HEADLINE);
        }

        double baselineTop1() {
            return AccuracyReport.top1(AccuracyReport.last(baseline), AccuracyReport.HEADLINE);
        }
    }

    /** Welch's comparison of two independent samples: difference of means and its 95% interval. */
    record Welch(double meanDifference, double standardError, double degreesOfFreedom, double low, double high) {
        static Welch of(double[] first, double[] second) {
            if (first.length < 2 || second.length < 2) {
                throw new IllegalArgumentException("an interval needs at least two seeds per model; got "
                        + first.length + " and " + second.length);
            }
            double vFirst = StatUtils.variance(first) / first.length;
            double vSecond = StatUtils.variance(second) / second.length;
            double se = Math.sqrt(vFirst + vSecond);
            double diff = StatUtils.mean(first) - StatUtils.mean(second);
            if (se == 0) {
                return new Welch(diff, 0, Double.POSITIVE_INFINITY, diff, diff);
            }
            double df = (vFirst + vSecond) * (vFirst + vSecond)
                    / (vFirst * vFirst / (first.length - 1) + vSecond * vSecond / (second.length - 1));
            double t = new TDistribution(null, df).inverseCumulativeProbability(0.975);
            return new Welch(diff, se, df, diff - t * se, diff + t * se);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: SeedSpread DATA_SET OUT_PNG SEED_DIR...  (each SEED_DIR with tasn/ and baseline/)");
            System.exit(2);
        }
        List<SeedRuns> seeds = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            seeds.add(read(Path.of(args[i])));
        }
        ObjectNode line = summary(args[0], seeds);
        line.put("chart", args[1]);
        chart(args[0], seeds, new File(args[1]));
        System.out.println(JSON.writeValueAsString(line));
    }

    /** Reads DIR/tasn, DIR/baseline and, when both exist, their test-split predictions. */
    static SeedRuns read(Path dir) throws IOException {
        Path tasn = dir.resolve("tasn");
        Path baseline = dir.resolve("baseline");
        long seed = seedOf(tasn);
        long baselineSeed = seedOf(baseline);
        if (seed != baselineSeed) {
            throw new IOException(dir + ": the TASN run used seed " + seed + " and the baseline seed " + baselineSeed
                    + "; train both with the same seed (bench/accuracy_seeds.sh does)");
        }
        Path tasnPredictions = dir.resolve("tasn-test-predictions/predictions.csv");
        Path baselinePredictions = dir.resolve("baseline-test-predictions/predictions.csv");
        PairedComparison paired = Files.exists(tasnPredictions) && Files.exists(baselinePredictions)
                ? PairedComparison.of(tasnPredictions, baselinePredictions) : null;
        return new SeedRuns(seed, AccuracyReport.epochs(tasn), AccuracyReport.epochs(baseline), paired);
    }

    private static long seedOf(Path run) throws IOException {
        Path conf = run.resolve("config.conf");
        if (!Files.exists(conf)) {
            throw new IOException(conf + " does not exist; " + run + " is not a finished train-job run directory");
        }
        return ConfigFactory.parseFile(conf.toFile()).getLong("seed");
    }

    /** The JSON line: per seed, then the means, standard deviations and Welch's interval of the gain (in points). */
    static ObjectNode summary(String dataSet, List<SeedRuns> seeds) {
        double[] tasn = seeds.stream().mapToDouble(SeedRuns::tasnTop1).toArray();
        double[] baseline = seeds.stream().mapToDouble(SeedRuns::baselineTop1).toArray();
        ObjectNode line = JSON.createObjectNode();
        line.put("bench", "accuracy_seeds");
        line.put("data", dataSet);
        line.put("split", "test");
        line.put("seeds", seeds.size());
        ArrayNode per = line.putArray("per_seed");
        for (SeedRuns s : seeds) {
            ObjectNode o = per.addObject();
            o.put("seed", s.seed());
            o.put("epochs", s.tasn().size());
            o.put("tasn_master_top1", points(s.tasnTop1()));
            o.put("baseline_top1", points(s.baselineTop1()));
            o.put("gain_points", points(s.tasnTop1() - s.baselineTop1()));
            if (s.paired() != null) {
                o.put("only_tasn_right", s.paired().onlyFirstRight());
                o.put("only_baseline_right", s.paired().onlySecondRight());
                o.put("mcnemar_exact_p", AccuracyReport.round(s.paired().mcNemarP()));
            }
        }
        line.put("tasn_master_top1_mean", points(StatUtils.mean(tasn)));
        line.put("baseline_top1_mean", points(StatUtils.mean(baseline)));
        line.put("gain_points_mean", points(StatUtils.mean(tasn) - StatUtils.mean(baseline)));
        if (seeds.size() >= 2) {
            line.put("tasn_master_top1_sd", points(Math.sqrt(StatUtils.variance(tasn))));
            line.put("baseline_top1_sd", points(Math.sqrt(StatUtils.variance(baseline))));
            Welch w = Welch.of(tasn, baseline);
            line.put("gain_points_se", points(w.standardError()));
            line.put("gain_points_ci95_low", points(w.low()));
            line.put("gain_points_ci95_high", points(w.high()));
            line.put("welch_df", Math.round(w.degreesOfFreedom() * 100) / 100.0);
        }
        return line;
    }

    /** A fraction as percentage points with two decimals. */
    private static double points(double fraction) {
        return Math.round(fraction * 10000) / 100.0;
    }

    /** Test top-1 against epochs, one line per seed and model: TASN's master head red, the baseline blue. */
    private static void chart(String name, List<SeedRuns> seeds, File out) throws IOException {
        XYSeriesCollection series = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (SeedRuns s : seeds) {
            series.addSeries(AccuracyReport.curve("TASN master, seed " + s.seed(), s.tasn(), AccuracyReport.HEADLINE));
            renderer.setSeriesPaint(series.getSeriesCount() - 1, TASN);
            series.addSeries(AccuracyReport.curve("baseline, seed " + s.seed(), s.baseline(), AccuracyReport.HEADLINE));
            renderer.setSeriesPaint(series.getSeriesCount() - 1, BASELINE);
            renderer.setSeriesStroke(series.getSeriesCount() - 1, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
        }
        AccuracyReport.saveTop1Chart(name + ": TASN master (red) and baseline (blue, dashed), one line per training seed",
                series, renderer, out);
    }
}
