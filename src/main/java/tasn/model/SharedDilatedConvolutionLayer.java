package tasn.model;

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
 * Every convolution it runs is undilated: dilations above 1 are rewritten by
 * {@link SpaceToBatch}, so that all of them take oneDNN.
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
        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, dataType, outputShape(x));
        for (int d : layerConf().getDilations()) {
            INDArray z = preActivation(x, w, b, d, ArrayType.FF_WORKING_MEM, workspaceMgr).z;
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
        INDArray eps = epsilon.castTo(dataType);
        long n = x.size(0);
        long nOut = layerConf().getNOut();

        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
        weightGrad.assign(0);
        biasGrad.assign(0);
        INDArray inputGrad = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, x.shape());
        INDArray dw = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, w.shape());
        INDArray db = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, b.length());
        for (int d : layerConf().getDilations()) {
            PreActivation pre = preActivation(x, w, b, d, ArrayType.BP_WORKING_MEM, workspaceMgr);
            INDArray dz = pre.z.gt(0.0).castTo(dataType).muli(eps);  // ReLU'(z) * eps
            INDArray convInput = x;
            INDArray convGrad = dz;
            if (pre.rewrite != null) {  // the same steps as the forward, on the output gradient
                convInput = pre.batchInput;
                convGrad = pre.rewrite.toBatch(
                        pre.rewrite.padOutput(dz, bpArray(workspaceMgr, pre.rewrite.paddedOutputShape(n, nOut))),
                        bpArray(workspaceMgr, pre.rewrite.outputBatchShape(n, nOut)));
            }
            INDArray dx = bpArray(workspaceMgr, convInput.shape());
            Conv2DDerivative bp = new Conv2DDerivative();
            bp.addInputArgument(convInput, w, b.reshape(b.length()), convGrad);
            bp.addOutputArgument(dx, dw, db);
            bp.addIArgument(convolution(convInput, w, b, pre.rewrite == null, convGrad).iArgs());
            Nd4j.exec(bp);
            if (pre.rewrite != null) {
                dx = pre.rewrite.cropInput(pre.rewrite.fromBatch(dx,
                        bpArray(workspaceMgr, pre.rewrite.paddedShape(n, x.size(1)))));
            }
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

    /**
     * One dilation's pre-activation z = conv(x; W, b, dilation d), (N, C', H, W). d = 1 is one
     * conv2d op with padding 1; d > 1 goes through {@link SpaceToBatch}, so that it too is an
     * undilated convolution, which oneDNN runs (ND4J 1.0.0-M2's oneDNN helpers refuse dilated
     * ones: "could not create a descriptor for a dilated convolution forward propagation
     * primitive", leaving them to libnd4j's slower kernel). The batched input is kept for the
     * backward pass. Recomputed there rather than cached across calls, which keeps every array
     * inside DL4J's workspaces.
     */
    private PreActivation preActivation(INDArray x, INDArray w, INDArray b, int d, ArrayType type,
                                        LayerWorkspaceMgr workspaceMgr) {
        long n = x.size(0);
        long nOut = layerConf().getNOut();
        if (d == 1) {
            INDArray z = workspaceMgr.createUninitialized(type, dataType, outputShape(x));
            Nd4j.exec(convolution(x, w, b, true, z));
            return new PreActivation(z, null, null);
        }
        int[] k = layerConf().getKernelSize();
        SpaceToBatch rewrite = new SpaceToBatch(d, k[0], k[1], x.size(2), x.size(3));
        INDArray batchInput = rewrite.toBatch(
                rewrite.pad(x, workspaceMgr.createUninitialized(type, dataType, rewrite.paddedShape(n, x.size(1)))),
                workspaceMgr.createUninitialized(type, dataType, rewrite.inputBatchShape(n, x.size(1))));
        INDArray batchOutput = workspaceMgr.createUninitialized(type, dataType, rewrite.outputBatchShape(n, nOut));
        Nd4j.exec(convolution(batchInput, w, b, false, batchOutput));
        INDArray z = rewrite.crop(rewrite.fromBatch(batchOutput,
                workspaceMgr.createUninitialized(type, dataType, rewrite.paddedOutputShape(n, nOut))));
        return new PreActivation(z, rewrite, batchInput);
    }

    /** z, and for d > 1 the rewrite and its batched input (null for d = 1). */
    private record PreActivation(INDArray z, SpaceToBatch rewrite, INDArray batchInput) {
    }

    private INDArray bpArray(LayerWorkspaceMgr workspaceMgr, long[] shape) {
        return workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, shape);
    }

    /**
     * ND4J's undilated conv2d op: NCHW input, DL4J's [out, in, kH, kW] weights, stride 1;
     * "same" padding keeps the spatial size, otherwise none (the batched sub-grids).
     */
    private Conv2D convolution(INDArray x, INDArray w, INDArray b, boolean samePadding, INDArray out) {
        int[] k = layerConf().getKernelSize();
        int pad = samePadding ? 1 : 0;
        Conv2DConfig config = Conv2DConfig.builder()
                .kH(k[0]).kW(k[1])
                .sH(1).sW(1)
                .pH((long) pad * (k[0] - 1) / 2).pW((long) pad * (k[1] - 1) / 2)
                .dH(1).dW(1)
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
