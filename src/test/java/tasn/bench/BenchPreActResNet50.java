package tasn.bench;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import tasn.model.speed.DeepLearningSpeed;
import tasn.model.speed.FusedBatchNormRelu;

/**
 * A pre-activation ResNet-50 (He et al. 2016, "Identity Mappings in Deep Residual Networks")
 * built from DL4J layers, for the training-step benchmark only: stem conv 7x7/2 -> BN-ReLU ->
 * max-pool 3x3/2, four stages of [3, 4, 6, 3] bottleneck blocks (BN-ReLU -> 1x1 -> BN-ReLU ->
 * 3x3 (stride here, as torchvision) -> BN-ReLU -> 1x1 x4, plus identity or 1x1 projection of
 * the pre-activated input), final BN-ReLU, global average pool, softmax over 1000 classes.
 * Plain SGD, no regularisation, the same as bench/torch_train_step.py.
 */
final class BenchPreActResNet50 {

    private static final int[] BLOCKS = {3, 4, 6, 3};
    private static final int[] PLANES = {64, 128, 256, 512};
    private static final int EXPANSION = 4;

    private final ComputationGraphConfiguration.GraphBuilder graph;
    private final boolean fusedBnRelu;
    private int id;

    private BenchPreActResNet50(ComputationGraphConfiguration.GraphBuilder graph, boolean fusedBnRelu) {
        this.graph = graph;
        this.fusedBnRelu = fusedBnRelu;
    }

    static ComputationGraphConfiguration build(int size, int classes, CacheMode cacheMode, boolean fusedBnRelu) {
        ComputationGraphConfiguration.GraphBuilder g = DeepLearningSpeed.configure(new NeuralNetConfiguration.Builder())
                .cacheMode(cacheMode)
                .seed(42)
                .updater(new Sgd(0.01))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(size, size, 3));
        BenchPreActResNet50 net = new BenchPreActResNet50(g, fusedBnRelu);
        String x = net.conv("stem_conv", "input", 64, 7, 2, 3);
        x = net.bnRelu("stem", x);
        g.addLayer("stem_pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                .padding(1, 1).build(), x);
        x = "stem_pool";
        int inChannels = 64;
        for (int stage = 0; stage < BLOCKS.length; stage++) {
            for (int block = 0; block < BLOCKS[stage]; block++) {
                int stride = (stage > 0 && block == 0) ? 2 : 1;
                x = net.bottleneck("s" + (stage + 1) + "b" + (block + 1), x, inChannels, PLANES[stage], stride);
                inChannels = PLANES[stage] * EXPANSION;
            }
        }
        x = net.bnRelu("final", x);
        g.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        g.addLayer("fc", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "avgpool");
        g.setOutputs("fc");
        return g.build();
    }

    private String bottleneck(String name, String in, int inChannels, int planes, int stride) {
        String pre = bnRelu(name + "_pre", in);
        String shortcut = (stride != 1 || inChannels != planes * EXPANSION)
                ? conv(name + "_proj", pre, planes * EXPANSION, 1, stride, 0)
                : in;
        String x = conv(name + "_conv1", pre, planes, 1, 1, 0);
        x = bnRelu(name + "_2", x);
        x = conv(name + "_conv2", x, planes, 3, stride, 1);
        x = bnRelu(name + "_3", x);
        x = conv(name + "_conv3", x, planes * EXPANSION, 1, 1, 0);
        graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), x, shortcut);
        return name + "_add";
    }

    private String conv(String name, String in, int out, int kernel, int stride, int pad) {
        graph.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(pad, pad)
                .nOut(out).hasBias(false).activation(Activation.IDENTITY).build(), in);
        return name;
    }

    private String bnRelu(String name, String in) {
        if (fusedBnRelu) {
            graph.addLayer(name + "_bnrelu", new FusedBatchNormRelu.Builder().build(), in);
            return name + "_bnrelu";
        }
        Layer bn = new BatchNormalization.Builder().build();
        graph.addLayer(name + "_bn", bn, in);
        graph.addLayer(name + "_relu", new ActivationLayer(Activation.RELU), name + "_bn");
        return name + "_relu";
    }
}
