package tasn.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/** Runtime of {@link TrilinearAttention}: three batched ND4J steps over the whole minibatch. */
class TrilinearAttentionImpl extends ParameterFreeVertexImpl {

    private final double scale;

    TrilinearAttentionImpl(ComputationGraph graph, String name, int vertexIndex, double scale, DataType dataType) {
        super(graph, name, vertexIndex, dataType);
        this.scale = scale;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray input = input4d(0);
        long n = input.size(0), c = input.size(1), h = input.size(2), w = input.size(3);
        DataType type = input.dataType();
        INDArray x = input.reshape('c', n, c, h * w);                       // X, C x HW per image
        INDArray n1 = Nd4j.createUninitialized(type, n, c, h * w);
        Nd4j.exec(new SoftMax(x.mul(scale), n1, 2));                        // 1. softmax over HW of s X
        INDArray relations = Nd4j.matmul(n1, x, false, true, false);        // 2. B = N1 . X^T, C x C
        INDArray n2 = Nd4j.createUninitialized(type, n, c, c);
        Nd4j.exec(new SoftMax(relations, n2, 2));                           // 3. softmax over each row of B
        INDArray maps = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, type, new long[] {n, c, h, w}, 'c');
        maps.reshape('c', n, c, h * w).assign(Nd4j.matmul(n2, x));         // 4. M = N2 . X
        return maps;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        return zeroEpsilons(workspaceMgr);
    }

    @Override
    public String toString() {
        return "TrilinearAttention(name=\"" + vertexName + "\", index=" + vertexIndex + ", scale=" + scale + ")";
    }
}
