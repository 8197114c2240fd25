package tasn.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What each output of a training graph takes as its label array, in the graph's output order.
 * A classifier head takes the one-hot class; any other output (TASN's distillation term,
 * whose loss needs no label of its own) takes a constant array of zeros of a given width.
 * Built on the driver, shipped to the executors that assemble minibatches.
 */
public record OutputLabels(List<Output> outputs) implements Serializable {

    /** One graph output: its name, and either a one-hot class label or zeros of {@code zerosWidth}. */
    public record Output(String name, boolean classifier, int zerosWidth) implements Serializable {
    }

    public OutputLabels {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("a training graph needs at least one output");
        }
        outputs = List.copyOf(outputs);
    }

    /** Every output is a classifier head (the usual case, and the baseline's single head). */
    public static OutputLabels classifiers(String... names) {
        List<Output> list = new ArrayList<>();
        for (String name : names) {
            list.add(new Output(name, true, 0));
        }
        return new OutputLabels(list);
    }

    /** This layout with one more output that takes zeros of the given width. */
    public OutputLabels withZerosOutput(String name, int width) {
        List<Output> list = new ArrayList<>(outputs);
        list.add(new Output(name, false, width));
        return new OutputLabels(list);
    }

    /** The classifier heads, in output order: the heads evaluated every epoch. */
    public List<String> heads() {
        List<String> heads = new ArrayList<>();
        for (Output o : outputs) {
            if (o.classifier()) {
                heads.add(o.name());
            }
        }
        return heads;
    }

    public int size() {
        return outputs.size();
    }
}
