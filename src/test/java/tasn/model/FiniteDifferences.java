package tasn.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * A central-difference gradient check of a whole graph in double precision, addressing each
 * parameter through its own view in {@code paramTable()}. (DL4J M2's GradientCheckUtil names
 * flat parameter indices by walking paramTable(), whose order differs from the flattened
 * layout around BatchNorm layers in this graph, so its per-name exclusions hit the wrong
 * entries; addressing views avoids that.) The analytic gradient is DL4J's summed gradient
 * divided by the batch size, as its updater does; the score is averaged over the batch.
 */
final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /** A parameter entry whose analytic and numeric gradients disagree. */
    record Failure(String param, long index, double analytic, double numeric) {
    }

    /** Checks up to {@code perParam} entries of every parameter whose name {@code include} accepts. */
    static List<Failure> check(ComputationGraph graph, MultiDataSet data, Predicate<String> include, int perParam,
                               double epsilon, double maxRelError, double minAbsError, long seed) {
        graph.setInputs(data.getFeatures());
        graph.setLabels(data.getLabels());
        graph.computeGradientAndScore();
        long batch = data.getFeatures(0).size(0);
        Map<String, INDArray> gradients = graph.gradient().gradientForVariable();
        Map<String, INDArray> analytic = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
            analytic.put(e.getKey(), e.getValue().dup().divi(batch));
        }
        Random random = new Random(seed);
        List<Failure> failures = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, INDArray> e : graph.paramTable().entrySet()) {
            String name = e.getKey();
            if (!include.test(name)) {
                continue;
            }
            INDArray view = e.getValue();
            INDArray grad = analytic.get(name);
            for (int n = 0; n < Math.min(perParam, view.length()); n++) {
                long i = view.length() <= perParam ? n : (long) (random.nextDouble() * view.length());
                // explicit subscripts: linear indices follow each array's own ordering ('c' or 'f')
                long[] at = org.nd4j.linalg.api.shape.Shape.ind2subC(view.shape(), i);
                double original = view.getDouble(at);
                view.putScalar(at, original + epsilon);
                double plus = graph.score(data, true);
                view.putScalar(at, original - epsilon);
                double minus = graph.score(data, true);
                view.putScalar(at, original);
                double numeric = (plus - minus) / (2 * epsilon);
                double a = grad.getDouble(at);
                double abs = Math.abs(a - numeric);
                double rel = abs == 0 ? 0 : abs / (Math.abs(a) + Math.abs(numeric));
                if (rel > maxRelError && abs > minAbsError) {
                    failures.add(new Failure(name, i, a, numeric));
                }
                checked++;
            }
        }
        if (checked == 0) {
            throw new IllegalArgumentException("no parameter was checked");
        }
        return failures;
    }
}
