package tasn.model.speed;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The computation of {@link FusedBatchNormRelu}: DL4J's batch-norm layer (which keeps the
 * running statistics and gradients bookkeeping) with {@link FastBatchNormHelper} in place of
 * its helper, and ReLU applied in place on its output.
 *
 * <p>Backward: the ReLU's gradient is taken from the layer's own output (y > 0 exactly where
 * the normalised value is > 0), into a fresh array (the incoming gradient may be shared with a
 * residual branch), then DL4J's batch-norm backward runs on it.
 */
final class FusedBatchNormReluLayer extends BatchNormalization {

    private transient INDArray output;

    FusedBatchNormReluLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        installHelper(new FastBatchNormHelper(dataType));
    }

    private void installHelper(FastBatchNormHelper fast) {
        try {
            Field f = BatchNormalization.class.getDeclaredField("helper");
            f.setAccessible(true);
            f.set(this, fast);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DL4J's BatchNormalization has no field 'helper' any more (is "
                    + "deeplearning4j-nn still 1.0.0-M2?): FusedBatchNormRelu cannot install its helper", e);
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray y = super.activate(training, workspaceMgr);
        Transforms.relu(y, false);
        output = y;
        return y;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (output == null) {
            throw new IllegalStateException("FusedBatchNormRelu " + layerId() + ": backprop before a forward pass");
        }
        INDArray beforeRelu = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, epsilon.dataType(),
                epsilon.shape(), 'c');
        Nd4j.exec(new ThresholdReluBp(output, epsilon, beforeRelu, 0.0));
        return super.backpropGradient(beforeRelu, workspaceMgr);
    }

    @Override
    public void clear() {
        super.clear();
        output = null;
    }
}
