package tasn.model;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * How a TASN graph is built beyond its architecture: number type, optimiser, weight decay,
 * and DL4J's cache and workspace modes (left to the caller, so speed settings stay outside
 * the model code).
 */
public record GraphOptions(
        DataType dataType,
        IUpdater updater,
        double weightDecay,
        CacheMode cacheMode,
        WorkspaceMode trainingWorkspaceMode,
        WorkspaceMode inferenceWorkspaceMode) {

    /**
     * FLOAT, plain SGD at the reference's learning rate 0.1, no weight decay, and the cache and
     * workspace modes bench/README.md measured fastest ({@link tasn.model.speed.DeepLearningSpeed}:
     * CacheMode.DEVICE keeps a convolution's forward output instead of recomputing it).
     */
    public static GraphOptions defaults() {
        return new GraphOptions(tasn.model.speed.DeepLearningSpeed.DATA_TYPE, new Sgd(0.1), 0.0,
                tasn.model.speed.DeepLearningSpeed.CACHE_MODE, tasn.model.speed.DeepLearningSpeed.WORKSPACE_MODE,
                tasn.model.speed.DeepLearningSpeed.WORKSPACE_MODE);
    }

    public GraphOptions withDataType(DataType type) {
        return new GraphOptions(type, updater, weightDecay, cacheMode, trainingWorkspaceMode, inferenceWorkspaceMode);
    }

    public GraphOptions withUpdater(IUpdater u) {
        return new GraphOptions(dataType, u, weightDecay, cacheMode, trainingWorkspaceMode, inferenceWorkspaceMode);
    }

    public GraphOptions withWeightDecay(double decay) {
        return new GraphOptions(dataType, updater, decay, cacheMode, trainingWorkspaceMode, inferenceWorkspaceMode);
    }

    public GraphOptions withCacheMode(CacheMode mode) {
        return new GraphOptions(dataType, updater, weightDecay, mode, trainingWorkspaceMode, inferenceWorkspaceMode);
    }

    public GraphOptions withWorkspaceMode(WorkspaceMode mode) {
        return new GraphOptions(dataType, updater, weightDecay, cacheMode, mode, mode);
    }
}
