package tasn.model;

import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.common.primitives.Pair;

/**
 * The implementation of {@link SharedDilatedConvolution}: forward
 * {@code out = sum_d ReLU(conv(x; W, b, d))}; backward, for each dilation,
 * {@code dz_d = eps * [z_d > 0]} then ND4J's conv2d_bp gives this dilation's share of
 * dL/dx, dL/dW and dL/db, which are summed (the weight is shared, so its gradient is the sum).
 * The pre-activations z_d are recomputed in the backward pass rather than cached across
 * calls, which keeps every array inside DL4J's workspaces.
 */
public class SharedDilatedConvolutionLayer extends BaseLayer<SharedDilatedConvolution> {

    public SharedDilatedConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray x = input.castTo(dataType);
        INDArray w = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray b = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr);
        long[] shape = outputShape(x);
        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, dataType, shape);
        for (int d : layerConf().getDilations()) {
            INDArray z = convolve(x, w, b, d, workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, shape));
            out.addi(Transforms.relu(z, false));
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = input.castTo(dataType);
        INDArray w = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray b = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr);
        long[] shape = outputShape(x);
        INDArray eps = epsilon.castTo(dataType);

        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
        weightGrad.assign(0);
        biasGrad.assign(0);
        INDArray inputGrad = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, x.shape());

        INDArray dx = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape());
        INDArray dw = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, w.shape());
        INDArray db = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, b.length());
        for (int d : layerConf().getDilations()) {
            INDArray z = convolve(x, w, b, d, workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, shape));
            INDArray dz = z.gt(0.0).castTo(dataType).muli(eps);  // ReLU'(z) * eps
            Conv2DDerivative bp = new Conv2DDerivative();
            bp.addInputArgument(x, w, b.reshape(b.length()), dz);
            bp.addOutputArgument(dx, dw, db);
            bp.addIArgument(convolution(x, w, b, d, z).iArgs());
            execute(bp, d);
            inputGrad.addi(dx);
            weightGrad.addi(dw);
            biasGrad.addi(db.reshape(biasGrad.shape()));
        }

        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, inputGrad);
    }

    /** z = conv(x; W, b, dilation d) with padding d, into {@code out}. */
    private INDArray convolve(INDArray x, INDArray w, INDArray b, int d, INDArray out) {
        execute(convolution(x, w, b, d, out), d);
        return out;
    }

    /**
     * Runs a conv2d / conv2d_bp op. A dilated one (d > 1) runs without ND4J's platform helpers:
     * the oneDNN build of nd4j-native 1.0.0-M2 cannot create a dilated convolution primitive
     * ("could not create a descriptor for a dilated convolution forward propagation
     * primitive"), so it takes libnd4j's own kernel; undilated ones keep oneDNN. Per op, through
     * its own context, so other threads' ops are untouched.
     */
    private static void execute(DynamicCustomOp op, int d) {
        if (d == 1) {
            Nd4j.exec(op);
            return;
        }
        try (OpContext context = Nd4j.getExecutioner().buildContext()) {
            context.setIArguments(op.iArgs());
            context.setTArguments(op.tArgs());
            context.setBArguments(op.bArgs());
            context.setInputArrays(op.inputArguments());
            context.setOutputArrays(op.outputArguments());
            context.allowHelpers(false);
            Nd4j.getExecutioner().exec(op, context);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** ND4J's conv2d op: NCHW input, DL4J's [out, in, kH, kW] weights, explicit padding d. */
    private Conv2D convolution(INDArray x, INDArray w, INDArray b, int d, INDArray out) {
        int[] k = layerConf().getKernelSize();
        Conv2DConfig config = Conv2DConfig.builder()
                .kH(k[0]).kW(k[1])
                .sH(1).sW(1)
                .pH((long) d * (k[0] - 1) / 2).pW((long) d * (k[1] - 1) / 2)
                .dH(d).dW(d)
                .paddingMode(PaddingMode.VALID)
                .dataFormat(Conv2DConfig.NCHW)
                .weightsFormat(WeightsFormat.OIYX)
                .build();
        return new Conv2D(new INDArray[]{x, w, b.reshape(b.length())}, new INDArray[]{out}, config);
    }

    private long[] outputShape(INDArray x) {
        if (x.rank() != 4) {
            throw new IllegalStateException(layerId() + ": expected a rank-4 NCHW input, got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        return new long[]{x.size(0), layerConf().getNOut(), x.size(2), x.size(3)};
    }

    @Override
    public boolean hasBias() {
        return true;
    }

    @Override
    public void clearNoiseWeightParams() {
        weightNoiseParams.clear();
    }
}
