package tasn.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import tasn.config.ModelConfig;

import java.util.List;

/**
 * The TASN network as one DL4J {@link ComputationGraph} (TASN.md), read top-down:
 * image -> attention net -> attention head and its classifier; trilinear attention ->
 * structure and detail maps -> two attention samplers -> both views stacked through ONE
 * backbone -> part, master and shared heads -> the loss terms. Also the baseline: the same
 * backbone as a plain classifier of the image resized to the sampled size.
 *
 * <p>Input "image": (N, 3, R, R), mean-subtracted RGB. Outputs, in {@link #OUTPUTS} order,
 * all trained with the same one-hot class labels (N, K): the attention classifier, the part
 * head fc1 on detail views, the master head fc2 on structure views, the shared head fc on
 * each, and the distillation term (which ignores its labels; see {@link DistillationLoss}).
 * The score is the sum of the six weighted terms, each averaged over the batch.
 */
public final class TasnGraph {
    public static final String INPUT = "image";
    public static final String HEAD_ATT = "head_att";
    public static final String HEAD_PART = "head_part";
    public static final String HEAD_MASTER = "head_master";
    public static final String HEAD_SHARED_PART = "head_shared_part";
    public static final String HEAD_SHARED_MASTER = "head_shared_master";
    public static final String HEAD_DISTILLATION = "head_distillation";
    /** The TASN graph's outputs, in order: the label arrays of a MultiDataSet follow it. */
    public static final List<String> OUTPUTS = List.of(
            HEAD_ATT, HEAD_PART, HEAD_MASTER, HEAD_SHARED_PART, HEAD_SHARED_MASTER, HEAD_DISTILLATION);
    /** The classifier outputs whose activations are class probabilities. */
    public static final List<String> CLASSIFIERS = OUTPUTS.subList(0, 5);

    /** Vertices the predictor reads: the maps and the two sampled views. */
    public static final String STRUCTURE_MAP = "structure_map";
    public static final String DETAIL_MAP = "detail_map";
    public static final String STRUCTURE_SAMPLE = "sample_structure";
    public static final String DETAIL_SAMPLE = "sample_detail";

    private TasnGraph() {
    }

    /** The TASN graph of {@code model}, initialised from its seed, with default options. */
    public static ComputationGraph build(ModelConfig model) {
        return build(model, GraphOptions.defaults());
    }

    public static ComputationGraph build(ModelConfig model, GraphOptions options) {
        ComputationGraph graph = new ComputationGraph(configuration(model, options));
        graph.init();
        return graph;
    }

    /** The baseline of {@code model}: its backbone on the image resized to the sampled size. */
    public static ComputationGraph baseline(ModelConfig model) {
        return baseline(model, GraphOptions.defaults());
    }

    public static ComputationGraph baseline(ModelConfig model, GraphOptions options) {
        ComputationGraph graph = new ComputationGraph(baselineConfiguration(model, options));
        graph.init();
        return graph;
    }

    /** The TASN graph's configuration. */
    public static ComputationGraphConfiguration configuration(ModelConfig m, GraphOptions options) {
        int k = m.numClasses();
        ModelConfig.Loss loss = m.loss();
        GraphBuilder g = start(m, options);

        // Attention net (TASN.md "Shapes"): the image resized to A x A, a pre-activation ResNet.
        g.addVertex("resize_attention", new BilinearResize(m.attentionSize()), INPUT);
        PreActResNet.Features trunk = PreActResNet.build(g, "att_", "resize_attention", m.attention());

        // Attention head (TASN.md "Attention head"): one weight per convolution, several dilations.
        g.addLayer("att_head_att1", SharedDilatedConvolution.of(m.headChannels(), 1, 2), trunk.vertex());
        g.addLayer("att_head_att2", SharedDilatedConvolution.of(m.headChannels(), 1, 2, 3), "att_head_att1");
        // Its classifier, the attention net's only training signal: BN, ReLU, average pool, fc, softmax.
        g.addLayer("att_head_bn", new BatchNormalization.Builder().build(), "att_head_att2");
        g.addLayer("att_head_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "att_head_bn");
        g.addLayer("att_head_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "att_head_relu");
        g.addLayer(HEAD_ATT, new OutputLayer.Builder(crossEntropy(k, loss.attention(), options.dataType()))
                .nOut(k).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "att_head_pool");

        // Trilinear attention (TASN.md "Trilinear attention"): C maps, no gradient back.
        g.addVertex("trilinear_attention", new TrilinearAttention(m.trilinearScale()), "att_head_att2");
        // Structure map: the maps' mean, resized to R x R, raised to a power (the reference
        // squares it). Detail map: one random map per image in training, the mean at test,
        // resized to R x R, raised to a power (the reference's is 1).
        g.addVertex(STRUCTURE_MAP, new StructureMap(m.inputSize(), m.structureExponent()), "trilinear_attention");
        g.addVertex(DETAIL_MAP, new DetailMap(m.inputSize(), m.seed(), m.detailExponent()), "trilinear_attention");

        // The attention sampler (TASN.md "The attention sampler"): two S x S views of the image.
        g.addVertex(DETAIL_SAMPLE, sampler(m), INPUT, DETAIL_MAP);
        g.addVertex(STRUCTURE_SAMPLE, sampler(m), INPUT, STRUCTURE_MAP);

        // One backbone for both views (TASN.md "Master net and part net"): detail views are
        // rows 0..N-1 of the stack, structure views rows N..2N-1; BatchNorm sees both.
        g.addVertex("views", new StackVertex(), DETAIL_SAMPLE, STRUCTURE_SAMPLE);
        PreActResNet.Features features = PreActResNet.build(g, "backbone_", "views", m.backbone());
        g.addLayer("backbone_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), features.vertex());
        g.addVertex("features_detail", new UnstackVertex(0, 2), "backbone_pool");
        g.addVertex("features_structure", new UnstackVertex(1, 2), "backbone_pool");

        // Heads: fc1 (part) on detail features, fc2 (master) on structure features, and one
        // shared fc on both, its logits split back into the two halves.
        g.addLayer("head_fc1", logits(k), "features_detail");
        g.addLayer("head_fc2", logits(k), "features_structure");
        g.addLayer("head_fc", logits(k), "backbone_pool");
        g.addVertex("head_fc_detail", new UnstackVertex(0, 2), "head_fc");
        g.addVertex("head_fc_structure", new UnstackVertex(1, 2), "head_fc");

        // Loss terms (TASN.md): weighted cross-entropies and the distillation fc1 -> fc2.
        g.addLayer(HEAD_PART, softmaxLoss(k, loss.part(), options.dataType()), "head_fc1");
        g.addLayer(HEAD_MASTER, softmaxLoss(k, loss.master(), options.dataType()), "head_fc2");
        g.addLayer(HEAD_SHARED_PART, softmaxLoss(k, loss.sharedPart(), options.dataType()), "head_fc_detail");
        g.addLayer(HEAD_SHARED_MASTER, softmaxLoss(k, loss.sharedMaster(), options.dataType()), "head_fc_structure");
        g.addVertex("head_distillation_logits", new MergeVertex(), "head_fc1", "head_fc2");
        g.addLayer(HEAD_DISTILLATION, new LossLayer.Builder()
                .lossFunction(new DistillationLoss(loss.temperature(), loss.distillation()))
                .activation(Activation.IDENTITY).build(), "head_distillation_logits");

        return g.setOutputs(OUTPUTS.toArray(String[]::new))
                .setInputTypes(InputType.convolutional(m.inputSize(), m.inputSize(), 3))
                .build();
    }

    /** The baseline's configuration: resize to S, backbone, average pool, fc, softmax. */
    public static ComputationGraphConfiguration baselineConfiguration(ModelConfig m, GraphOptions options) {
        int k = m.numClasses();
        GraphBuilder g = start(m, options);
        g.addVertex("resize_sampled", new BilinearResize(m.sampledSize()), INPUT);
        PreActResNet.Features features = PreActResNet.build(g, "backbone_", "resize_sampled", m.backbone());
        g.addLayer("backbone_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), features.vertex());
        g.addLayer(HEAD_MASTER, new OutputLayer.Builder(crossEntropy(k, 1.0, options.dataType()))
                .nOut(k).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "backbone_pool");
        return g.setOutputs(HEAD_MASTER)
                .setInputTypes(InputType.convolutional(m.inputSize(), m.inputSize(), 3))
                .build();
    }

    /** True when {@code graph} is a baseline (its only output is the master head). */
    public static boolean isBaseline(ComputationGraph graph) {
        return graph.getConfiguration().getNetworkOutputs().equals(List.of(HEAD_MASTER));
    }

    private static GraphBuilder start(ModelConfig m, GraphOptions options) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(m.seed())
                .dataType(options.dataType())
                .updater(options.updater())
                .weightInit(WeightInit.RELU)
                .cacheMode(options.cacheMode())
                .trainingWorkspaceMode(options.trainingWorkspaceMode())
                .inferenceWorkspaceMode(options.inferenceWorkspaceMode());
        if (options.weightDecay() > 0) {
            b.weightDecay(options.weightDecay());
        }
        return b.graphBuilder().addInputs(INPUT);
    }

    private static AttentionSampler sampler(ModelConfig m) {
        return new AttentionSampler(m.sampledSize(), m.samplerIterations(), m.samplerDense());
    }

    private static DenseLayer logits(int k) {
        return new DenseLayer.Builder().nOut(k).activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build();
    }

    private static LossLayer softmaxLoss(int k, double weight, DataType type) {
        return new LossLayer.Builder().lossFunction(crossEntropy(k, weight, type)).activation(Activation.SOFTMAX).build();
    }

    /** Cross-entropy times {@code weight}: LossMCXENT with every class weight equal to it. */
    private static LossMCXENT crossEntropy(int k, double weight, DataType type) {
        return new LossMCXENT(Nd4j.valueArrayOf(new long[]{1, k}, weight, type));
    }
}
