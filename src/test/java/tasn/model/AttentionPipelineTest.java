package tasn.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole attention pipeline inside one float graph, trained for a few steps with DL4J's
 * workspaces on: image -> resize -> attention features (with their own classifier, their only
 * training signal) -> trilinear attention -> structure and detail maps -> two sampled views
 * -> a classifier on the views. Proves the vertices compose and respect DL4J's workspace rules.
 */
class AttentionPipelineTest {

    private static ComputationGraph pipeline(WorkspaceMode mode) {
        int r = 32, attention = 16, s = 16, classes = 3;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(9)
                .updater(new Sgd(0.1)).trainingWorkspaceMode(mode).inferenceWorkspaceMode(mode)
                .graphBuilder().addInputs("image").setInputTypes(InputType.convolutional(r, r, 3))
                .addVertex("small", new BilinearResize(attention), "image")
                .addLayer("attConv", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(6)
                        .activation(Activation.RELU).build(), "small")
                .addLayer("attPool", new GlobalPoolingLayer(PoolingType.AVG), "attConv")
                .addLayer("attOut", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(classes).build(), "attPool")
                .addVertex("trilinear", new TrilinearAttention(), "attConv")
                .addVertex("structureMap", new StructureMap(r), "trilinear")
                .addVertex("detailMap", new DetailMap(r, 5), "trilinear")
                .addVertex("structure", new AttentionSampler(s), "image", "structureMap")
                .addVertex("detail", new AttentionSampler(s), "image", "detailMap")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(4)
                        .activation(Activation.RELU).build(), "structure")
                .addLayer("pool", new GlobalPoolingLayer(PoolingType.AVG), "conv")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(classes).build(), "pool")
                .addLayer("detailConv", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(4)
                        .activation(Activation.RELU).build(), "detail")
                .addLayer("detailPool", new GlobalPoolingLayer(PoolingType.AVG), "detailConv")
                .addLayer("detailOut", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(classes).build(), "detailPool")
                .setOutputs("attOut", "out", "detailOut").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @Test
    void pipelineTrainsWithWorkspacesOnAndMatchesWorkspacesOff() {
        INDArray images = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 3);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, i % 3, 1f);
        }
        MultiDataSet batch = new MultiDataSet(new INDArray[] {images}, new INDArray[] {labels, labels, labels});
        ComputationGraph withWorkspaces = pipeline(WorkspaceMode.ENABLED);
        ComputationGraph without = pipeline(WorkspaceMode.NONE);
        INDArray before = withWorkspaces.params().dup();
        for (int step = 0; step < 3; step++) {
            withWorkspaces.fit(batch);
            without.fit(batch);
            assertFalse(Double.isNaN(withWorkspaces.score()));
        }
        assertNotEquals(0.0, withWorkspaces.params().sub(before).amaxNumber().doubleValue(), "the network learns");
        assertEquals(0.0, withWorkspaces.params().sub(without.params()).amaxNumber().doubleValue(), 1e-5,
                "workspaces do not change the result");
        String summary = withWorkspaces.summary(InputType.convolutional(32, 32, 3));
        assertTrue(summary.contains("AttentionSampler") && summary.contains("TrilinearAttention"), summary);
        assertTrue(withWorkspaces.getConfiguration().getMemoryReport(InputType.convolutional(32, 32, 3))
                .getTotalMemoryBytes(4, org.deeplearning4j.nn.conf.memory.MemoryUseMode.TRAINING,
                        org.deeplearning4j.nn.conf.CacheMode.NONE, DataType.FLOAT) > 0);
        INDArray[] outputs = withWorkspaces.output(false, images);
        assertArrayEquals(new long[] {4, 3}, outputs[1].shape());
        assertFalse(outputs[1].isNaN().any() || outputs[2].isNaN().any());
    }
}
