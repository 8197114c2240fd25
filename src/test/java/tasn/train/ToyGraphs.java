package tasn.train;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import tasn.config.TasnConfig;

/**
 * A small two-head convolutional graph standing in for TASN in the training tests: a BatchNorm
 * on the mean-subtracted input, one strided convolution, global average pooling, and two
 * softmax heads (head_master, head_part); the baseline has head_master only.
 */
public final class ToyGraphs implements GraphFactory {
    private final int imageSize;
    private final boolean batchNorm;
    private final int width;

    public ToyGraphs(int imageSize, boolean batchNorm) {
        this(imageSize, batchNorm, 6);
    }

    /** With {@code width} filters in the convolution and a second 3x3 convolution when width > 6 (for benchmarks). */
    public ToyGraphs(int imageSize, boolean batchNorm, int width) {
        this.imageSize = imageSize;
        this.batchNorm = batchNorm;
        this.width = width;
    }

    @Override
    public TrainableGraph build(TasnConfig config, int numClasses, boolean baseline) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("image")
                .setInputTypes(InputType.convolutional(imageSize, imageSize, 3));
        String in = "image";
        if (batchNorm) {
            g.addLayer("backbone_bn", new BatchNormalization.Builder().build(), in);
            in = "backbone_bn";
        }
        g.addLayer("backbone_conv", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(width)
                .activation(Activation.RELU).weightInit(WeightInit.RELU).build(), in);
        String features = "backbone_conv";
        if (width > 6) {
            g.addLayer("backbone_conv2", new ConvolutionLayer.Builder(3, 3).stride(1, 1).nOut(width)
                    .activation(Activation.RELU).weightInit(WeightInit.RELU).build(), features);
            features = "backbone_conv2";
        }
        g.addLayer("backbone_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), features)
                .addLayer("head_master", head(numClasses), "backbone_pool");
        if (baseline) {
            g.setOutputs("head_master");
            return new TrainableGraph(g.build(), OutputLabels.classifiers("head_master"), "head_master");
        }
        g.addLayer("head_part", head(numClasses), "backbone_pool").setOutputs("head_master", "head_part");
        return new TrainableGraph(g.build(), OutputLabels.classifiers("head_master", "head_part"), "head_master");
    }

    private static OutputLayer head(int numClasses) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(numClasses)
                .activation(Activation.SOFTMAX).build();
    }
}
