package tasn.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * The attention head's convolution (TASN.md "Attention head"): ONE 3x3 weight and bias W
 * applied at several dilations, each result through ReLU, the results summed:
 * {@code out = sum_d ReLU(conv3x3(x; W, dilation d))}, padding d keeping the spatial size.
 * att1 uses dilations 1, 2 and att2 uses 1, 2, 3. DL4J has no shared-weight multi-dilation
 * convolution; this layer's configuration is an ordinary convolution's (so its parameters,
 * initialisation and JSON form are DL4J's) plus the list of dilations, and its
 * implementation, {@link SharedDilatedConvolutionLayer}, calls ND4J's conv2d and conv2d_bp (dilations
 * above 1 through {@link SpaceToBatch}, so that oneDNN runs them).
 * The ReLU is part of the layer; the configured activation is ignored.
 */
public class SharedDilatedConvolution extends ConvolutionLayer {
    private int[] dilations;

    /** For JSON deserialisation. */
    public SharedDilatedConvolution() {
    }

    private SharedDilatedConvolution(Builder builder) {
        super(builder);
        this.dilations = builder.dilations.clone();
        this.cnn2dDataFormat = CNN2DFormat.NCHW;
    }

    /** A shared 3x3 convolution of {@code nOut} filters, with bias, at {@code dilations}. */
    public static SharedDilatedConvolution of(int nOut, int... dilations) {
        return new Builder().dilations(dilations).nOut(nOut).build();
    }

    public int[] getDilations() {
        return dilations.clone();
    }

    public void setDilations(int[] dilations) {
        this.dilations = dilations.clone();
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        SharedDilatedConvolutionLayer layer = new SharedDilatedConvolutionLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public SharedDilatedConvolution clone() {
        SharedDilatedConvolution c = (SharedDilatedConvolution) super.clone();
        c.dilations = dilations.clone();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SharedDilatedConvolution other && super.equals(o) && Arrays.equals(dilations, other.dilations);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Arrays.hashCode(dilations);
    }

    @Override
    public String toString() {
        return "SharedDilatedConvolution(nIn=" + nIn + ", nOut=" + nOut + ", dilations=" + Arrays.toString(dilations) + ")";
    }

    /** Builds the layer: 3x3 kernel, stride 1, bias, the output size of the input. */
    public static class Builder extends ConvolutionLayer.BaseConvBuilder<Builder> {
        private int[] dilations = {1};

        public Builder() {
            // Kernel 3, stride 1, padding 1: the output-shape arithmetic of dilation 1, which
            // every dilation d shares through its own padding d.
            super(new int[]{3, 3}, new int[]{1, 1}, new int[]{1, 1});
            this.hasBias = true;
            this.convolutionMode = ConvolutionMode.Truncate;
            this.activationFn = Activation.RELU.getActivationFunction();
        }

        public Builder dilations(int... dilations) {
            if (dilations.length == 0 || Arrays.stream(dilations).anyMatch(d -> d < 1)) {
                throw new IllegalArgumentException("dilations must be one or more positive integers: " + Arrays.toString(dilations));
            }
            this.dilations = dilations.clone();
            return this;
        }

        @Override
        protected boolean allowCausal() {
            return false;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SharedDilatedConvolution build() {
            return new SharedDilatedConvolution(this);
        }
    }
}
