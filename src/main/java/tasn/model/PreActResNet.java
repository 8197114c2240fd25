package tasn.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import tasn.config.ModelConfig.Block;
import tasn.config.ModelConfig.Stem;
import tasn.config.ModelConfig.Trunk;

/**
 * Pre-activation ResNet trunks (He et al., "Identity Mappings in Deep Residual Networks"), the
 * backbones of TASN.md: the attention net (ResNet-18, strides 1,1,2,1) and the shared
 * master/part backbone (ResNet-50). Built into a DL4J graph under a name prefix, so one graph
 * holds several trunks. Reads like torchvision's resnet.py, with the pre-activation order of
 * the reference's MXNet ResNet v2: every block is BN-ReLU-conv, the trunk begins with a
 * BatchNorm of the raw input (TASN.md: no std division) and ends with BN-ReLU; no classifier.
 * Convolutions have no bias and explicit torchvision padding ({@link ConvolutionMode#Truncate}).
 */
public final class PreActResNet {
    /** A vertex of the graph and how many channels it outputs. */
    public record Features(String vertex, int channels) {
    }

    private PreActResNet() {
    }

    // ---- factories -------------------------------------------------------------------------

    /** ResNet-18: basic blocks [2, 2, 2, 2]. */
    public static Trunk preActResNet18(int width, int[] strides, Stem stem) {
        return new Trunk(Block.BASIC, new int[]{2, 2, 2, 2}, width, strides, stem);
    }

    /** ResNet-34: basic blocks [3, 4, 6, 3]. */
    public static Trunk preActResNet34(int width, int[] strides, Stem stem) {
        return new Trunk(Block.BASIC, new int[]{3, 4, 6, 3}, width, strides, stem);
    }

    /** ResNet-50: bottleneck blocks [3, 4, 6, 3]. */
    public static Trunk preActResNet50(int width, int[] strides, Stem stem) {
        return new Trunk(Block.BOTTLENECK, new int[]{3, 4, 6, 3}, width, strides, stem);
    }

    // ---- the trunk -------------------------------------------------------------------------

    /**
     * Adds {@code trunk} on {@code input} (an RGB image vertex) with vertex names starting with
     * {@code prefix}; returns its final pre-activated feature map.
     */
    public static Features build(GraphBuilder g, String prefix, String input, Trunk trunk) {
        Features x = stem(g, prefix + "stem_", input, trunk.width(), trunk.stem());
        for (int i = 0; i < trunk.layers().length; i++) {
            int planes = trunk.width() << i;
            x = makeStage(g, prefix + "layer" + (i + 1) + "_", x, trunk.block(), planes, trunk.layers()[i], trunk.strides()[i]);
        }
        // The pre-activation trunk ends with the BN-ReLU that no block applied to its output.
        String bn = bn(g, prefix + "post_bn", x.vertex());
        return new Features(relu(g, prefix + "post_relu", bn), x.channels());
    }

    /**
     * BN of the raw input, then imagenet: 7x7/2 conv, BN, ReLU, 3x3/2 max-pool (stride 4);
     * or small: one 3x3/1 conv (the first block pre-activates it).
     */
    static Features stem(GraphBuilder g, String name, String input, int width, Stem stem) {
        String x = bn(g, name + "bn_data", input);
        if (stem == Stem.SMALL) {
            return new Features(conv(g, name + "conv", x, width, 3, 1), width);
        }
        x = conv(g, name + "conv", x, width, 7, 2);
        x = relu(g, name + "relu", bn(g, name + "bn", x));
        g.addLayer(name + "pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(3, 3).stride(2, 2).padding(1, 1).convolutionMode(ConvolutionMode.Truncate).build(), x);
        return new Features(name + "pool", width);
    }

    /** {@code blocks} blocks of {@code planes}; the first one strides (torchvision's _make_layer). */
    static Features makeStage(GraphBuilder g, String name, Features x, Block block, int planes, int blocks, int stride) {
        for (int b = 0; b < blocks; b++) {
            String blockName = name + b + "_";
            int s = b == 0 ? stride : 1;
            x = block == Block.BASIC ? basicBlock(g, blockName, x, planes, s) : bottleneck(g, blockName, x, planes, s);
        }
        return x;
    }

    /**
     * Pre-activation basic block: out = conv3x3(ReLU(BN(conv3x3(ReLU(BN(x)), stride)))) + shortcut,
     * the shortcut being x, or a 1x1 projection of the pre-activated x when the shape changes.
     */
    static Features basicBlock(GraphBuilder g, String name, Features x, int planes, int stride) {
        String pre = relu(g, name + "relu1", bn(g, name + "bn1", x.vertex()));
        String out = conv3x3(g, name + "conv1", pre, planes, stride);
        out = relu(g, name + "relu2", bn(g, name + "bn2", out));
        out = conv3x3(g, name + "conv2", out, planes, 1);
        String shortcut = stride != 1 || x.channels() != planes
                ? conv1x1(g, name + "downsample", pre, planes, stride) : x.vertex();
        return new Features(add(g, name + "add", out, shortcut), planes);
    }

    /**
     * Pre-activation bottleneck (expansion 4): 1x1 reduce, 3x3 with the stride, 1x1 expand,
     * each after BN-ReLU; shortcut as in {@link #basicBlock}.
     */
    static Features bottleneck(GraphBuilder g, String name, Features x, int planes, int stride) {
        int outChannels = planes * 4;
        String pre = relu(g, name + "relu1", bn(g, name + "bn1", x.vertex()));
        String out = conv1x1(g, name + "conv1", pre, planes, 1);
        out = relu(g, name + "relu2", bn(g, name + "bn2", out));
        out = conv3x3(g, name + "conv2", out, planes, stride);
        out = relu(g, name + "relu3", bn(g, name + "bn3", out));
        out = conv1x1(g, name + "conv3", out, outChannels, 1);
        String shortcut = stride != 1 || x.channels() != outChannels
                ? conv1x1(g, name + "downsample", pre, outChannels, stride) : x.vertex();
        return new Features(add(g, name + "add", out, shortcut), outChannels);
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** 3x3 convolution with padding 1, no bias. */
    static String conv3x3(GraphBuilder g, String name, String input, int outChannels, int stride) {
        return conv(g, name, input, outChannels, 3, stride);
    }

    /** 1x1 convolution, no bias. */
    static String conv1x1(GraphBuilder g, String name, String input, int outChannels, int stride) {
        return conv(g, name, input, outChannels, 1, stride);
    }

    private static String conv(GraphBuilder g, String name, String input, int outChannels, int kernel, int stride) {
        g.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel)
                .stride(stride, stride)
                .padding(kernel / 2, kernel / 2)
                .convolutionMode(ConvolutionMode.Truncate)
                .nOut(outChannels)
                .hasBias(false)
                .activation(Activation.IDENTITY)
                .build(), input);
        return name;
    }

    static String bn(GraphBuilder g, String name, String input) {
        g.addLayer(name, new BatchNormalization.Builder().build(), input);
        return name;
    }

    static String relu(GraphBuilder g, String name, String input) {
        g.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), input);
        return name;
    }

    private static String add(GraphBuilder g, String name, String a, String b) {
        g.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), a, b);
        return name;
    }
}
