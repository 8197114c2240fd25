package tasn.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The outputs of a training graph, in the graph's output order; every output is trained with
 * the one-hot class labels (N, K). The classifier heads among them (whose activations are
 * class probabilities) are evaluated every epoch; an output that is only a loss term (TASN's
 * distillation, whose activations are logits) is trained but not evaluated.
 */
public record OutputLabels(List<Output> outputs) implements Serializable {

    /** One graph output: its name, and whether it is a classifier head to evaluate. */
    public record Output(String name, boolean head) implements Serializable {
    }

    public OutputLabels {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("a training graph needs at least one output");
        }
        outputs = List.copyOf(outputs);
    }

    /** Outputs named {@code all}, of which those in {@code heads} are classifier heads. */
    public static OutputLabels of(List<String> all, List<String> heads) {
        List<Output> list = new ArrayList<>();
        for (String name : all) {
            list.add(new Output(name, heads.contains(name)));
        }
        return new OutputLabels(list);
    }

    /** Every output is a classifier head (the baseline's single head, or a test graph). */
    public static OutputLabels classifiers(String... names) {
        return of(List.of(names), List.of(names));
    }

    /** The classifier heads, in output order: the heads evaluated every epoch. */
    public List<String> heads() {
        List<String> heads = new ArrayList<>();
        for (Output o : outputs) {
            if (o.head()) {
                heads.add(o.name());
            }
        }
        return heads;
    }

    public int size() {
        return outputs.size();
    }
}
