package tasn.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.SplittableRandom;

/** Runtime of {@link DetailMap}; see there for how the training-time channel choice is seeded. */
class DetailMapImpl extends ParameterFreeVertexImpl {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final int size;
    private final long seed;
    private final double exponent;
    private final AlignCornersResize resize;
    private long trainingCalls;

    DetailMapImpl(ComputationGraph graph, String name, int vertexIndex, int size, long seed, double exponent,
                  DataType dataType) {
        super(graph, name, vertexIndex, dataType);
        this.size = size;
        this.seed = seed;
        this.exponent = exponent;
        this.resize = new AlignCornersResize(size);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray maps = input4d(0);
        INDArray chosen = training ? chosenChannels(maps, trainingCalls++) : maps.mean(true, 1);
        return asActivations(workspaceMgr, MapExponent.raise(resize.resize(chosen), exponent));
    }

    /** Channel choices of training call {@code call}: one channel per image, uniform over C. */
    static int[] channelChoices(long seed, long call, int images, int channels) {
        SplittableRandom random = new SplittableRandom(seed + call * GOLDEN_GAMMA);
        int[] choices = new int[images];
        for (int i = 0; i < images; i++) {
            choices[i] = random.nextInt(channels);
        }
        return choices;
    }

    private INDArray chosenChannels(INDArray maps, long call) {
        long n = maps.size(0), h = maps.size(2), w = maps.size(3);
        int[] choices = channelChoices(seed, call, (int) n, (int) maps.size(1));
        INDArray chosen = Nd4j.createUninitialized(maps.dataType(), n, 1, h, w);
        for (int i = 0; i < n; i++) {
            chosen.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(maps.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.interval(choices[i], choices[i] + 1),
                            NDArrayIndex.all(), NDArrayIndex.all()));
        }
        return chosen;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        return zeroEpsilons(workspaceMgr);
    }

    @Override
    public String toString() {
        return "DetailMap(name=\"" + vertexName + "\", index=" + vertexIndex + ", size=" + size + ", seed=" + seed + ", exponent=" + exponent + ")";
    }
}
