package tasn.model;

import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tasn.config.ModelConfig;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TasnGraphTest {

    @Test
    void tinyGraphGivesEveryHeadTheMapsAndTheSampledViews() {
        ModelConfig m = TasnFixtures.tiny("model.num-classes=5");
        ComputationGraph graph = TasnGraph.build(m);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        TasnPredictor.Prediction p = new TasnPredictor(graph).predict(images);
        for (String head : TasnGraph.CLASSIFIERS) {
            INDArray probabilities = p.probabilities().get(head);
            assertArrayEquals(new long[]{2, 5}, probabilities.shape(), head);
            assertEquals(1.0, probabilities.sum(1).getDouble(0), 1e-5, head);
        }
        assertArrayEquals(new long[]{2, 1, 64, 64}, p.structureMap().shape());
        assertArrayEquals(new long[]{2, 1, 64, 64}, p.detailMap().shape());
        assertArrayEquals(new long[]{2, 3, 32, 32}, p.structureSample().shape());
        assertArrayEquals(new long[]{2, 3, 32, 32}, p.detailSample().shape());
        // At test time the detail map is the channel mean: deterministic.
        assertEquals(p.detailMap(), new TasnPredictor(graph).predict(images).detailMap());
    }

    @Test
    void theConfiguredExponentsReachTheMapsAndSharpenTheirPeaks() {
        ModelConfig reference = TasnFixtures.tiny("model.num-classes=5");
        ModelConfig sharper = TasnFixtures.tiny("model.num-classes=5", "model.sampler.structure-exponent=4",
                "model.sampler.detail-exponent=3");
        assertEquals(new StructureMap(64), TasnGraph.configuration(reference, GraphOptions.defaults())
                .getVertices().get(TasnGraph.STRUCTURE_MAP));
        ComputationGraph graph = TasnGraph.build(sharper);
        assertEquals(new StructureMap(64, 4.0), graph.getConfiguration().getVertices().get(TasnGraph.STRUCTURE_MAP));
        assertEquals(new DetailMap(64, sharper.seed(), 3.0), graph.getConfiguration().getVertices().get(TasnGraph.DETAIL_MAP));
        // Same weights, other powers: the maps are the reference's raised by 4/2 and 3/1.
        ComputationGraph referenceGraph = TasnGraph.build(reference);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        TasnPredictor.Prediction r = new TasnPredictor(referenceGraph).predict(images);
        TasnPredictor.Prediction s = new TasnPredictor(graph).predict(images);
        INDArray expectedStructure = Transforms.pow(r.structureMap(), 2.0, true);
        INDArray expectedDetail = Transforms.pow(r.detailMap(), 3.0, true);
        double scale = expectedStructure.amaxNumber().doubleValue();
        assertTrue(expectedStructure.sub(s.structureMap()).amaxNumber().doubleValue() <= 1e-4 * scale);
        scale = expectedDetail.amaxNumber().doubleValue();
        assertTrue(expectedDetail.sub(s.detailMap()).amaxNumber().doubleValue() <= 1e-4 * scale);
    }

    @Test
    void scoreIsTheSumOfTheSixWeightedTermsEachAveragedOverTheBatch() {
        ModelConfig m = TasnFixtures.tiny("model.num-classes=4");
        ComputationGraph graph = TasnGraph.build(m, GraphOptions.defaults().withDataType(DataType.DOUBLE));
        INDArray images = Nd4j.rand(DataType.DOUBLE, 3, 3, 64, 64);
        int[] classes = {0, 3, 1};
        INDArray labels = TasnFixtures.oneHot(classes, 4, DataType.DOUBLE);
        Map<String, INDArray> a = graph.feedForward(new INDArray[]{images}, false, true);
        ModelConfig.Loss w = m.loss();
        double expected = w.attention() * crossEntropy(a.get(TasnGraph.HEAD_ATT), classes)
                + w.part() * crossEntropy(a.get(TasnGraph.HEAD_PART), classes)
                + w.master() * crossEntropy(a.get(TasnGraph.HEAD_MASTER), classes)
                + w.sharedPart() * crossEntropy(a.get(TasnGraph.HEAD_SHARED_PART), classes)
                + w.sharedMaster() * crossEntropy(a.get(TasnGraph.HEAD_SHARED_MASTER), classes)
                + w.distillation() * distillation(a.get("head_fc1"), a.get("head_fc2"), w.temperature());
        double score = graph.score(TasnFixtures.tasnBatch(images, labels), false);
        assertEquals(expected, score, 1e-9 * Math.abs(expected));
    }

    @Test
    void oneTrainingStepGivesEveryParameterANonZeroGradient() {
        ModelConfig m = TasnFixtures.tiny("model.num-classes=4");
        ComputationGraph graph = TasnGraph.build(m);
        TasnFixtures.Batch batch = TasnFixtures.markedSquares(4, 64, 5);
        MultiDataSet data = TasnFixtures.tasnBatch(batch.images(), TasnFixtures.oneHot(batch.classes(), 4, DataType.FLOAT));
        graph.setInputs(data.getFeatures());
        graph.setLabels(data.getLabels());
        graph.computeGradientAndScore();
        Map<String, INDArray> gradients = graph.gradient().gradientForVariable();
        int checked = 0;
        for (Map.Entry<String, INDArray> e : graph.paramTable().entrySet()) {
            String key = e.getKey();
            if (key.endsWith("_mean") || key.endsWith("_var")) {
                continue; // BatchNorm running statistics: updated, not learned by gradient
            }
            INDArray g = gradients.get(key);
            assertTrue(g != null && g.amaxNumber().doubleValue() > 0, "no gradient for " + key);
            checked++;
        }
        assertTrue(checked > 40, "checked " + checked);
        assertTrue(Double.isFinite(graph.score()));
    }

    @Test
    void trainingStepsAreTheSameWithAndWithoutWorkspaces() {
        ModelConfig m = TasnFixtures.tiny("model.num-classes=4", "data.raw-size=32",
                "model.attention-size=16", "model.sampled-size=16");
        ComputationGraph with = TasnGraph.build(m, GraphOptions.defaults().withWorkspaceMode(WorkspaceMode.ENABLED));
        ComputationGraph without = TasnGraph.build(m, GraphOptions.defaults().withWorkspaceMode(WorkspaceMode.NONE));
        assertEquals(with.params(), without.params(), "same seed, same initial weights");
        TasnFixtures.Batch batch = TasnFixtures.markedSquares(4, 32, 9);
        MultiDataSet data = TasnFixtures.tasnBatch(batch.images(), TasnFixtures.oneHot(batch.classes(), 4, DataType.FLOAT));
        for (int step = 0; step < 3; step++) {
            with.fit(data);
            without.fit(data);
        }
        assertEquals(0.0, with.params().sub(without.params()).amaxNumber().doubleValue(), 1e-5);
    }

    @Test
    void aCloneGivesTheSameOutputs() {
        ComputationGraph graph = TasnGraph.build(TasnFixtures.tiny());
        ComputationGraph copy = graph.clone();
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        assertEquals(graph.output(images)[2], copy.output(images)[2]);
    }

    @Test
    void baselineIsTheBackboneAsAPlainClassifier() {
        ModelConfig m = TasnFixtures.tiny("model.num-classes=6");
        ComputationGraph baseline = TasnGraph.baseline(m);
        ComputationGraph tasn = TasnGraph.build(m);
        assertTrue(TasnGraph.isBaseline(baseline));
        assertTrue(!TasnGraph.isBaseline(tasn));
        ModelSummary b = ModelSummary.of(baseline, 64);
        ModelSummary t = ModelSummary.of(tasn, 64);
        assertEquals(t.params(Branch.BACKBONE), b.params(Branch.BACKBONE));
        assertEquals(0, b.params(Branch.ATTENTION_NET));
        INDArray p = new TasnPredictor(baseline).predict(Nd4j.rand(DataType.FLOAT, 3, 3, 64, 64)).master();
        assertArrayEquals(new long[]{3, 6}, p.shape());
    }

    @Test
    void summaryCountsEveryParameterOnceByBranch() {
        ComputationGraph graph = TasnGraph.build(TasnFixtures.tiny());
        ModelSummary s = ModelSummary.of(graph, 64);
        long sum = 0;
        for (Branch b : Branch.values()) {
            sum += s.params(b);
        }
        assertEquals(graph.numParams(), sum);
        assertEquals(0, s.params(Branch.PLUMBING));
        // attention head: att1 (64 trunk channels -> C = 32, 3x3, bias), att2 (C -> C), a BatchNorm of C
        assertEquals((9L * 64 * 32 + 32) + (9L * 32 * 32 + 32) + 4 * 32, s.params(Branch.ATTENTION_HEAD));
        assertTrue(s.render().contains("head_distillation"));
        // trainable leaves out each BatchNorm's running mean and variance: 2 of its 4 numbers per channel
        assertEquals(s.params(Branch.ATTENTION_HEAD) - 2 * 32, s.trainable(Branch.ATTENTION_HEAD));
    }

    private static double crossEntropy(INDArray probabilities, int[] classes) {
        double sum = 0;
        for (int i = 0; i < classes.length; i++) {
            sum -= Math.log(probabilities.getDouble(i, classes[i]));
        }
        return sum / classes.length;
    }

    private static double distillation(INDArray z1, INDArray z2, double t) {
        INDArray p1 = Transforms.softmax(z1.div(t), true);
        INDArray logP2 = Transforms.log(Transforms.softmax(z2.div(t), true), false);
        return -p1.mul(logP2).sumNumber().doubleValue() / z1.size(0);
    }
}
