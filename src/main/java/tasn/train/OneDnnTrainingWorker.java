package tasn.train;

import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import tasn.model.speed.DeepLearningSpeed;

import java.util.Collection;

/**
 * dl4j-spark's parameter-averaging worker, which builds each round's network on the executor
 * with DL4J's oneDNN layer helpers on. DL4J reads its helper switch when a layer is
 * instantiated, in the executor's JVM; without this, an executor started without our
 * conf/spark-defaults.conf flag would train 2-5x slower, silently.
 */
final class OneDnnTrainingWorker extends ParameterAveragingTrainingWorker {
    private static final long serialVersionUID = 1L;

    OneDnnTrainingWorker(Broadcast<NetBroadcastTuple> broadcast, boolean saveUpdater, WorkerConfiguration configuration,
                         Collection<TrainingHook> hooks, Collection<TrainingListener> listeners,
                         StatsStorageRouterProvider routerProvider) {
        super(broadcast, saveUpdater, configuration, hooks, listeners, routerProvider);
    }

    @Override
    public ComputationGraph getInitialModelGraph() {
        DeepLearningSpeed.enable();
        return super.getInitialModelGraph();
    }
}
