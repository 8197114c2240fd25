package tasn.model.speed;

import java.util.Collections;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation of NCHW activations on ND4J's own {@code batchnorm} / {@code batchnorm_bp}
 * operations (oneDNN where the native library has it), with the batch statistics computed
 * the fast way.
 *
 * <p>Why: DL4J M2's oneDNN helper computes the per-channel mean and variance with reductions
 * over the non-contiguous axes (0, 2, 3) of the NCHW array; ND4J's {@code Variance} over them
 * took about 7x as long as the normalisation itself (bench/README.md). Here the statistics come
 * from two reductions along the contiguous H*W axis: per (sample, channel) the mean and the
 * sum of squares (a squared L2 norm), both one pass without temporaries, then the N groups
 * are combined in double precision: var = mean_n(var_nc) + mean_n((mean_nc - mean)^2).
 * Within one group var_nc = E[x^2] - E[x]^2, which loses precision only when a channel's
 * mean is many standard deviations from zero (clamped at 0 so it never goes negative).
 *
 * <p>Handles rank-4 NCHW input; anything else returns {@code null}, and DL4J falls back to its
 * own implementation.
 */
final class FastBatchNormHelper implements BatchNormalizationHelper {

    private INDArray meanCache;
    private INDArray varCache;

    FastBatchNormHelper(DataType dataType) {
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
                              INDArray globalMean, INDArray globalVar, double decay, double eps,
                              CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (x.rank() != 4 || format != CNN2DFormat.NCHW || gamma == null || beta == null) {
            return null;
        }
        INDArray mean;
        INDArray var;
        if (training) {
            batchStatistics(x);
            mean = meanCache;
            var = varCache;
        } else {
            mean = globalMean.reshape(globalMean.length());
            var = globalVar.reshape(globalVar.length());
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
        DynamicCustomOp op = DynamicCustomOp.builder("batchnorm")
                .addInputs(x, mean, var, gamma.reshape(gamma.length()), beta.reshape(beta.length()))
                .addIntegerArguments(1, 1, 1) // apply gamma, apply beta, channel axis 1 (NCHW)
                .addFloatingPointArguments(eps)
                .build();
        op.setOutputArgument(0, out);
        Nd4j.exec(op);
        return out;
    }

    /** Fills meanCache / varCache with the per-channel batch mean and (biased) variance of x. */
    private void batchStatistics(INDArray x) {
        long n = x.size(0);
        long c = x.size(1);
        long hw = x.size(2) * x.size(3);
        INDArray contiguous = Shape.hasDefaultStridesForShape(x) ? x : x.dup('c');
        INDArray groups = contiguous.reshape('c', n, c, hw);
        INDArray groupMean;
        INDArray groupNorm;
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            groupMean = groups.mean(2).castTo(DataType.DOUBLE);                  // [n, c]
            groupNorm = groups.norm2(2).castTo(DataType.DOUBLE);                 // [n, c]
            INDArray groupVar = groupNorm.mul(groupNorm).divi(hw).subi(groupMean.mul(groupMean));
            Transforms.relu(groupVar, false);                                    // never below 0
            INDArray mean = groupMean.mean(0);                                    // [c]
            INDArray spread = groupMean.subRowVector(mean);
            INDArray var = groupVar.mean(0).addi(spread.muli(spread).mean(0));   // [c]
            if (meanCache == null || meanCache.length() != c || meanCache.dataType() != x.dataType()) {
                meanCache = Nd4j.createUninitialized(x.dataType(), c);
                varCache = Nd4j.createUninitialized(x.dataType(), c);
            }
            meanCache.assign(mean.castTo(x.dataType()));
            varCache.assign(var.castTo(x.dataType()));
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() != 4 || format != CNN2DFormat.NCHW || gamma == null || beta == null || meanCache == null) {
            return null;
        }
        INDArray grad = Shape.hasDefaultStridesForShape(epsilon) ? epsilon : epsilon.dup('c');
        INDArray epsAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
        INDArray dMean = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, meanCache.dataType(), meanCache.shape());
        INDArray dVar = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, meanCache.dataType(), meanCache.shape());
        DynamicCustomOp op = DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(input, meanCache, varCache, gamma.reshape(gamma.length()), beta.reshape(beta.length()), grad)
                .addIntegerArguments(1, 1, 1)
                .addFloatingPointArguments(eps)
                .build();
        op.setOutputArgument(0, epsAtInput);
        op.setOutputArgument(1, dMean);
        op.setOutputArgument(2, dVar);
        op.setOutputArgument(3, dGammaView.reshape(dGammaView.length()));
        op.setOutputArgument(4, dBetaView.reshape(dBetaView.length()));
        Nd4j.exec(op);
        Gradient g = new DefaultGradient();
        g.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        g.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(g, epsAtInput);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return meanCache;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return varCache;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }
}
