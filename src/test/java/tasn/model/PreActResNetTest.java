package tasn.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tasn.config.ConfigLoader;
import tasn.config.ModelConfig;
import tasn.config.ModelConfig.Block;
import tasn.config.ModelConfig.Stem;
import tasn.config.ModelConfig.Trunk;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreActResNetTest {

    /** DL4J stores four numbers per BatchNorm channel: gamma, beta, running mean, running variance. */
    private static final int BN_STORED = 4;
    private static final int BN_TRAINABLE = 2;

    @Test
    void paperBackboneHasTheParametersOfAPreActivationResNet50() {
        ModelConfig paper = ConfigLoader.load("paper", List.of()).model();
        assertEquals(PreActResNet.preActResNet50(64, new int[]{1, 2, 2, 2}, Stem.IMAGENET), paper.backbone());
        ComputationGraph trunk = trunkGraph(paper.backbone(), 224);
        assertEquals(expectedCount(paper.backbone(), BN_STORED), trunk.numParams());
        long trainable = expectedCount(paper.backbone(), BN_TRAINABLE);
        // torchvision's resnet50 without fc: 23,508,032; pre-activation moves the BatchNorms.
        assertTrue(Math.abs(trainable - 23_508_032) < 0.005 * 23_508_032, "trainable " + trainable);
    }

    @Test
    void paperAttentionNetHasTheParametersOfAPreActivationResNet18() {
        ModelConfig paper = ConfigLoader.load("paper", List.of()).model();
        assertEquals(PreActResNet.preActResNet18(64, new int[]{1, 1, 2, 1}, Stem.IMAGENET), paper.attention());
        ComputationGraph trunk = trunkGraph(paper.attention(), 224);
        assertEquals(expectedCount(paper.attention(), BN_STORED), trunk.numParams());
        long trainable = expectedCount(paper.attention(), BN_TRAINABLE);
        // torchvision's resnet18 without fc: 11,176,512.
        assertTrue(Math.abs(trainable - 11_176_512) < 0.005 * 11_176_512, "trainable " + trainable);
    }

    @Test
    void paperAttentionTrunkGives512MapsOf28x28() {
        ModelConfig paper = ConfigLoader.load("paper", List.of()).model();
        ComputationGraph trunk = trunkGraph(paper.attention(), 224);
        INDArray out = trunk.outputSingle(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 224, 224));
        assertArrayEquals(new long[]{1, 512, 28, 28}, out.shape());
    }

    @Test
    void cpuAttentionTrunkRunsAtStride8() {
        ModelConfig cpu = ConfigLoader.load("cpu", List.of()).model();
        ComputationGraph trunk = trunkGraph(cpu.attention(), cpu.attentionSize());
        INDArray out = trunk.outputSingle(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 112, 112));
        assertArrayEquals(new long[]{2, 256, 14, 14}, out.shape());
    }

    @Test
    void basicBlockStageWithoutStrideOrWidthChangeUsesIdentityShortcuts() {
        Trunk t = new Trunk(Block.BASIC, new int[]{2, 1}, 4, new int[]{1, 1}, Stem.SMALL);
        ComputationGraph g = trunkGraph(t, 8);
        assertTrue(g.getVertex("x_layer1_0_add") != null);
        assertTrue(g.getVertex("x_layer1_0_downsample") == null, "same shape: identity shortcut");
        assertTrue(g.getVertex("x_layer2_0_downsample") != null, "4 -> 8 channels: projection");
    }

    /** Builds just one trunk under the prefix "x_" on a size x size RGB input. */
    static ComputationGraph trunkGraph(Trunk trunk, int size) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(1).graphBuilder().addInputs("image");
        PreActResNet.Features f = PreActResNet.build(g, "x_", "image", trunk);
        g.setOutputs(f.vertex()).setInputTypes(InputType.convolutional(size, size, 3));
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    /**
     * The parameter count of a pre-activation ResNet, layer by layer from its definition:
     * input BN, stem, blocks (BN before every conv, projection when the shape changes), final BN.
     */
    static long expectedCount(Trunk t, int perBnChannel) {
        long n = 3L * perBnChannel; // BN of the raw input
        int in;
        if (t.stem() == Stem.IMAGENET) {
            n += 7L * 7 * 3 * t.width() + (long) perBnChannel * t.width();
        } else {
            n += 3L * 3 * 3 * t.width();
        }
        in = t.width();
        for (int stage = 0; stage < t.layers().length; stage++) {
            int planes = t.width() << stage;
            for (int b = 0; b < t.layers()[stage]; b++) {
                int stride = b == 0 ? t.strides()[stage] : 1;
                if (t.block() == Block.BASIC) {
                    n += (long) perBnChannel * in + 9L * in * planes + (long) perBnChannel * planes + 9L * planes * planes;
                    if (stride != 1 || in != planes) {
                        n += (long) in * planes;
                    }
                    in = planes;
                } else {
                    int out = planes * 4;
                    n += (long) perBnChannel * in + (long) in * planes
                            + (long) perBnChannel * planes + 9L * planes * planes
                            + (long) perBnChannel * planes + (long) planes * out;
                    if (stride != 1 || in != out) {
                        n += (long) in * out;
                    }
                    in = out;
                }
            }
        }
        return n + (long) perBnChannel * in; // final BN
    }
}
