package tasn.bench;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import tasn.config.ModelConfig.Stem;
import tasn.model.PreActResNet;
import tasn.model.speed.BatchNormReluFusion;
import tasn.model.speed.DeepLearningSpeed;

/**
 * The benchmark's network: the model package's pre-activation ResNet-50 trunk (TASN.md's
 * backbone, strides 1,2,2,2, imagenet stem) with a global-average-pool + 1000-way softmax
 * head, plain SGD and no regularisation, the same as bench/torch_train_step.py.
 */
final class BenchResNet50 {

    private BenchResNet50() {
    }

    static ComputationGraphConfiguration build(int size, int classes, CacheMode cacheMode, boolean fuseBnRelu) {
        ComputationGraphConfiguration.GraphBuilder g = DeepLearningSpeed.configure(new NeuralNetConfiguration.Builder())
                .cacheMode(cacheMode)
                .seed(42)
                .updater(new Sgd(0.01))
                .weightInit(WeightInit.RELU)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(size, size, 3));
        PreActResNet.Features trunk = PreActResNet.build(g, "", "input",
                PreActResNet.preActResNet50(64, new int[] {1, 2, 2, 2}, Stem.IMAGENET));
        g.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), trunk.vertex());
        g.addLayer("fc", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "avgpool");
        g.setOutputs("fc");
        if (fuseBnRelu) {
            BatchNormReluFusion.fuse(g);
        }
        return g.build();
    }
}
