package tasn.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/** Runtime of {@link AttentionSampler}: grids on the Java side, sampling through ND4J products. */
class AttentionSamplerImpl extends ParameterFreeVertexImpl {

    private final int size;
    private final int iterations;
    private final double dense;

    AttentionSamplerImpl(ComputationGraph graph, String name, int vertexIndex, int size, int iterations,
                         double dense, DataType dataType) {
        super(graph, name, vertexIndex, dataType);
        this.size = size;
        this.iterations = iterations;
        this.dense = dense;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray image = input4d(0);
        INDArray map = input4d(1);
        long n = image.size(0), channels = image.size(1), height = image.size(2), width = image.size(3);
        long mapSize = map.size(2);
        if (map.size(0) != n || map.size(1) != 1 || map.size(3) != mapSize || mapSize < 2) {
            throw new IllegalArgumentException(this + ": the map must be (N, 1, Rm, Rm) with Rm >= 2 and N = "
                    + n + " (the image batch), got " + Arrays.toString(map.shape()));
        }
        AttentionGrid[] grids = AttentionGrid.ofMaps(map, size, iterations, dense);

        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, image.dataType(),
                new long[] {n, channels, size, size}, 'c');
        for (int i = 0; i < n; i++) {
            AttentionGrid grid = grids[i];
            INDArray rowWeights = SeparableSampling.weightMatrix(
                    toImagePixels(grid.rows, mapSize, height), (int) height, image.dataType());
            INDArray columnWeights = SeparableSampling.weightMatrix(
                    toImagePixels(grid.columns, mapSize, width), (int) width, image.dataType());
            INDArray one = image.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
            out.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(SeparableSampling.sample(one, rowWeights, columnWeights));
        }
        return out;
    }

    /** Map pixel positions (0..Rm-1) to image pixel positions (0..R-1). */
    private static double[] toImagePixels(double[] mapPositions, long mapSize, long imageSize) {
        if (mapSize == imageSize) {
            return mapPositions;
        }
        double scale = (double) (imageSize - 1) / (mapSize - 1);
        double[] positions = new double[mapPositions.length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = mapPositions[i] * scale;
        }
        return positions;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        return zeroEpsilons(workspaceMgr);
    }

    @Override
    public String toString() {
        return "AttentionSampler(name=\"" + vertexName + "\", index=" + vertexIndex + ", size=" + size
                + ", iterations=" + iterations + ", dense=" + dense + ")";
    }
}
