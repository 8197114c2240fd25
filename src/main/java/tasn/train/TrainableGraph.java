package tasn.train;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

/**
 * A graph to train: its configuration (not yet initialised, so the optimiser can still be
 * set on every layer), what each output takes as label, and the head whose accuracy is the
 * headline (TASN.md: the master head predicts at test time).
 */
public record TrainableGraph(ComputationGraphConfiguration configuration, OutputLabels labels, String headlineHead) {

    public TrainableGraph {
        if (!configuration.getNetworkOutputs().equals(labels.outputs().stream().map(OutputLabels.Output::name).toList())) {
            throw new IllegalArgumentException("label layout " + labels.outputs() + " does not match the graph's outputs "
                    + configuration.getNetworkOutputs());
        }
        if (!labels.heads().contains(headlineHead)) {
            throw new IllegalArgumentException("headline head " + headlineHead + " is not a classifier output of the graph");
        }
    }
}
