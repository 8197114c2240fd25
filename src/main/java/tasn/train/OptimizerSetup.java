package tasn.train;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import tasn.config.TrainConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts the configured update rule and weight decay on every trainable layer of a graph
 * configuration, before the graph is initialised. The learning rate given here is the first
 * epoch's; {@link LearningRateSchedule} changes it between epochs.
 */
public final class OptimizerSetup {
    private OptimizerSetup() {
    }

    public static IUpdater updater(TrainConfig train, double learningRate) {
        return switch (train.optimizer()) {
            case SGD -> new Sgd(learningRate);
            case NESTEROV -> new Nesterovs(learningRate, train.momentum());
            case ADAM -> new Adam(learningRate);
        };
    }

    /** Applies the update rule to every {@link BaseLayer}; weight decay to weights, not biases. */
    public static void apply(ComputationGraphConfiguration configuration, TrainConfig train, double learningRate) {
        List<Regularization> decay = new ArrayList<>();
        if (train.weightDecay() > 0) {
            decay.add(new WeightDecay(train.weightDecay(), true));
        }
        for (Map.Entry<String, GraphVertex> entry : configuration.getVertices().entrySet()) {
            if (entry.getValue() instanceof LayerVertex vertex) {
                Layer layer = vertex.getLayerConf().getLayer();
                if (layer instanceof BaseLayer base) {
                    base.setIUpdater(updater(train, learningRate));
                    base.setBiasUpdater(null);
                    base.setRegularization(new ArrayList<>(decay));
                    base.setRegularizationBias(new ArrayList<>());
                }
            }
        }
    }
}
