package tasn.model.speed;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings that make DL4J M2 train at PyTorch-like speed on a CPU, in one place.
 *
 * <p>Call {@link #enable()} before any network is built in a JVM: the command line does for
 * every job that builds networks, once its options are parsed ({@code tasn.cli.NetworkJobs};
 * never for {@code --help} or {@code --version}, which must not load ND4J), and so does every
 * piece of code that builds a network on an executor (the training worker, the evaluation,
 * the score and sample jobs' model loading), so that executors get the helpers even when their
 * JVMs were started without the flag in conf/spark-defaults.conf. Build
 * every network configuration from {@link #configure}, which
 * sets what bench/README.md measured as fastest:
 * <ul>
 *   <li>{@link CacheMode#DEVICE}: a convolution keeps its forward output for back-propagation
 *       instead of computing the forward pass again;</li>
 *   <li>workspaces {@link WorkspaceMode#ENABLED} for training and inference (DL4J's default,
 *       stated so nobody turns it off: WorkspaceMode.NONE measured slower);</li>
 *   <li>{@link DataType#FLOAT}: oneDNN helpers accept only FLOAT; HALF/BFLOAT16 fall back to
 *       DL4J's slow Java path.</li>
 * </ul>
 */
public final class DeepLearningSpeed {

    private static final Logger LOG = LoggerFactory.getLogger(DeepLearningSpeed.class);

    /** Forward activations kept for back-propagation (measured: bench/README.md). */
    public static final CacheMode CACHE_MODE = CacheMode.DEVICE;
    /** Workspace mode for both training and inference. */
    public static final WorkspaceMode WORKSPACE_MODE = WorkspaceMode.ENABLED;
    /** The only data type the oneDNN helpers accept. */
    public static final DataType DATA_TYPE = DataType.FLOAT;

    /** What the last log line said, so that each state is logged once. */
    private static Boolean logged;

    private DeepLearningSpeed() {
    }

    /**
     * Switches on DL4J's oneDNN layer helpers for every network built afterwards in this JVM;
     * the first call logs one line saying whether it worked and, if not, why. Cheap, and safe
     * to call before every network construction (an explicit
     * {@code -Dorg.eclipse.deeplearning4j.helpers.disable=true} still wins).
     *
     * @return whether the oneDNN helpers are on
     */
    public static synchronized boolean enable() {
        boolean on = OneDnnHelpers.switchOn();
        if (logged == null || logged != on) {
            if (on) {
                LOG.info("DL4J oneDNN layer helpers on (convolution, batch normalisation, pooling); ND4J natives {}",
                        NativeBuild.loaded().orElse("(build not found in /proc/self/maps)"));
            } else {
                LOG.warn("DL4J oneDNN layer helpers OFF, training will be 2-3x slower: {}",
                        OneDnnHelpers.whyInactive());
            }
            logged = on;
        }
        return on;
    }

    /**
     * Applies {@link #CACHE_MODE}, {@link #WORKSPACE_MODE} and {@link #DATA_TYPE} to a network
     * configuration builder and returns it, for chaining:
     * {@code DeepLearningSpeed.configure(new NeuralNetConfiguration.Builder()).updater(...)...}.
     */
    public static NeuralNetConfiguration.Builder configure(NeuralNetConfiguration.Builder builder) {
        return builder
                .cacheMode(CACHE_MODE)
                .trainingWorkspaceMode(WORKSPACE_MODE)
                .inferenceWorkspaceMode(WORKSPACE_MODE)
                .dataType(DATA_TYPE);
    }
}
