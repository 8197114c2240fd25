package tasn.model.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import tasn.config.ModelConfig.Stem;
import tasn.model.PreActResNet;

/** Fusing a pre-activation ResNet's BN + ReLU pairs changes its speed, not its numbers. */
class BatchNormReluFusionTest {

    @BeforeAll
    static void switchOn() {
        DeepLearningSpeed.enable();
    }

    @Test
    void everyBatchNormReluPairOfAPreActResNetIsFusedUnderTheBatchNormName() {
        GraphBuilder g = resnet18();
        long pairs = g.getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ActivationLayer)
                .count();
        int fused = BatchNormReluFusion.fuse(g);
        assertEquals(pairs, fused, "every ReLU of the trunk follows a batch norm");
        assertTrue(g.getVertices().values().stream().noneMatch(v -> v instanceof LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof ActivationLayer));
        // the stem's BN of the raw input feeds a convolution, not a ReLU: it stays DL4J's
        assertEquals(BatchNormalization.class, layerOf(g, "r_stem_bn_data").getClass());
        assertInstanceOf(FusedBatchNormRelu.class, layerOf(g, "r_layer1_0_bn1"));
    }

    @Test
    void fusedGraphTrainsExactlyAsTheUnfusedOne() {
        ComputationGraph plain = new ComputationGraph(resnet18().build());
        plain.init();
        GraphBuilder g = resnet18();
        BatchNormReluFusion.fuse(g);
        ComputationGraph fused = new ComputationGraph(g.build());
        fused.init();
        assertEquals(plain.numParams(), fused.numParams());
        for (Map.Entry<String, INDArray> p : plain.paramTable().entrySet()) {
            fused.setParam(p.getKey(), p.getValue().dup());
        }
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 16, 16);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 5);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i, 1.0);
        }
        for (int step = 0; step < 3; step++) {
            plain.fit(new INDArray[] {x}, new INDArray[] {y});
            fused.fit(new INDArray[] {x}, new INDArray[] {y});
        }
        for (Map.Entry<String, INDArray> p : plain.paramTable().entrySet()) {
            INDArray expected = p.getValue();
            double diff = expected.sub(fused.getParam(p.getKey())).amaxNumber().doubleValue();
            double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
            assertTrue(diff <= 2e-4 * scale, p.getKey() + " after 3 Nesterov steps differs by " + diff);
        }
        INDArray a = plain.outputSingle(false, x);
        INDArray b = fused.outputSingle(false, x);
        assertTrue(a.sub(b).amaxNumber().doubleValue() <= 1e-4, "inference outputs differ");
    }

    private static org.deeplearning4j.nn.conf.layers.Layer layerOf(GraphBuilder g, String name) {
        return ((LayerVertex) g.getVertices().get(name)).getLayerConf().getLayer();
    }

    /** A narrow pre-act ResNet-18 (the model package's builder) with a 5-class head. */
    private static GraphBuilder resnet18() {
        GraphBuilder g = DeepLearningSpeed.configure(new NeuralNetConfiguration.Builder())
                .seed(9)
                .updater(new Nesterovs(0.05, 0.9))
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(16, 16, 3));
        PreActResNet.Features f = PreActResNet.build(g, "r_", "in",
                PreActResNet.preActResNet18(4, new int[] {1, 2, 2, 2}, Stem.SMALL));
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), f.vertex())
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(5)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out");
        return g;
    }
}
