package tasn.train;

import tasn.config.TasnConfig;

/** Builds the graph the train job fits: TASN, or with {@code --baseline} the plain classifier. */
@FunctionalInterface
public interface GraphFactory {
    TrainableGraph build(TasnConfig config, int numClasses, boolean baseline);
}
