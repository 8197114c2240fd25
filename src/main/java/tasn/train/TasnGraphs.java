package tasn.train;

import tasn.config.ModelConfig;
import tasn.config.TasnConfig;
import tasn.model.GraphOptions;
import tasn.model.TasnGraph;

/**
 * The graphs the train job fits, from tasn.model: TASN (six outputs: five classifier heads
 * and the distillation term) or, with {@code --baseline}, the plain classifier (head_master).
 * The class count comes from the data set; the optimiser and weight decay from {@code train}.
 */
public final class TasnGraphs implements GraphFactory {
    @Override
    public TrainableGraph build(TasnConfig config, int numClasses, boolean baseline) {
        ModelConfig model = config.model().withNumClasses(numClasses);
        GraphOptions options = GraphOptions.defaults()
                .withUpdater(OptimizerSetup.updater(config.train(), config.train().learningRate()))
                .withWeightDecay(config.train().weightDecay());
        if (baseline) {
            return new TrainableGraph(TasnGraph.baselineConfiguration(model, options),
                    OutputLabels.classifiers(TasnGraph.HEAD_MASTER), TasnGraph.HEAD_MASTER);
        }
        return new TrainableGraph(TasnGraph.configuration(model, options),
                OutputLabels.of(TasnGraph.OUTPUTS, TasnGraph.CLASSIFIERS), TasnGraph.HEAD_MASTER);
    }
}
