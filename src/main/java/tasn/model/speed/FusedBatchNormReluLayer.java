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
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The computation of {@link FusedBatchNormRelu}: DL4J's batch-norm layer (which keeps the
 * running statistics and gradients bookkeeping) with {@link FastBatchNormHelper} in place of
 * its helper, and ReLU written straight from the normalised values into the output (one pass;
 * DL4J's ActivationLayer first copies its input, then applies ReLU in place).
 *
 * <p>Backward: the ReLU's gradient from the kept normalised values with {@code leakyrelu_bp}
 * (the operation DL4J's own ReLU uses; {@code thresholdedrelu_bp} on the output took 16 % of a
 * ResNet-50 step against 6.5 %), written over the kept normalised values (never into the
 * incoming gradient, which may be shared with a residual branch), then DL4J's batch-norm
 * backward runs on it.
 */
final class FusedBatchNormReluLayer extends BatchNormalization {

    private transient INDArray normalised;

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
        INDArray z = super.activate(training, workspaceMgr);
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, z.dataType(), z.shape(), 'c');
        Nd4j.exec(new RectifiedLinear(z, y, 0.0));
        normalised = z;
        return y;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = normalised;
        if (z == null) {
            throw new IllegalStateException("FusedBatchNormRelu " + layerId() + ": backprop without a forward pass");
        }
        normalised = null; // overwritten below: one backward per forward
        // In place, as DL4J's ReLU does on its copy: z is ours alone (the output is y), and a
        // fresh array here would be new memory on every step.
        Nd4j.exec(new LeakyReLUBp(z, epsilon, z, 0.0));
        return super.backpropGradient(z, workspaceMgr);
    }

    @Override
    public void clear() {
        super.clear();
        normalised = null;
    }
}
