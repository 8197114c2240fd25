package tasn.model.speed;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation followed by ReLU as ONE layer: what a pre-activation ResNet puts before
 * every convolution (He et al. 2016, "Identity Mappings"; TASN.md's backbone), and a faster
 * replacement for DL4J's {@code BatchNormalization} + {@code ActivationLayer(RELU)} pair.
 *
 * <p>Same parameters, parameter names, updaters, running-statistics handling and JSON form as
 * DL4J's {@link BatchNormalization} (this extends its configuration, so a saved model keeps
 * working and Spark ships it like any layer); only the computation differs
 * ({@link FusedBatchNormReluLayer}): batch statistics from fast contiguous reductions, the
 * normalisation on ND4J's {@code batchnorm} / {@code batchnorm_bp} operations, and the ReLU
 * applied in place instead of in a second layer that first copies its input.
 *
 * <p>Use: {@code graph.addLayer("s1b1_pre", new FusedBatchNormRelu.Builder().build(), "conv")}.
 * NCHW only (DL4J's default); other layouts fall back to DL4J's batch-norm code, ReLU fused.
 */
public class FusedBatchNormRelu extends BatchNormalization {

    /** Defaults as DL4J's BatchNormalization builder (decay 0.9, eps 1e-5, log10-std running stats). */
    public FusedBatchNormRelu() {
        super();
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        LayerValidation.assertNOutSet("FusedBatchNormRelu", getLayerName(), layerIndex, getNOut());
        FusedBatchNormReluLayer layer = new FusedBatchNormReluLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public FusedBatchNormRelu clone() {
        return (FusedBatchNormRelu) super.clone();
    }

    /** Builder: layer name, decay and eps as DL4J's BatchNormalization.Builder. */
    public static class Builder {
        private String name;
        private double decay = 0.9;
        private double eps = 1e-5;

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Running statistics: new = decay * old + (1 - decay) * batch. */
        public Builder decay(double decay) {
            if (!(decay > 0 && decay < 1)) {
                throw new IllegalArgumentException("FusedBatchNormRelu decay must be in (0, 1), got " + decay);
            }
            this.decay = decay;
            return this;
        }

        /** Added to the variance before the square root. */
        public Builder eps(double eps) {
            if (!(eps > 0)) {
                throw new IllegalArgumentException("FusedBatchNormRelu eps must be > 0, got " + eps);
            }
            this.eps = eps;
            return this;
        }

        public FusedBatchNormRelu build() {
            FusedBatchNormRelu layer = new FusedBatchNormRelu();
            layer.setLayerName(name);
            layer.setDecay(decay);
            layer.setEps(eps);
            return layer;
        }
    }
}
