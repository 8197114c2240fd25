package tasn.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * TASN's distillation term (TASN.md "Master net and part net"): the part net teaches the
 * master net through soft targets,
 * {@code L = w * softCE(target = softmax(z1 / T), pred = log_softmax(z2 / T))
 *          = -w * sum_k p1_k log p2_k},
 * with z1 the part head's (fc1) logits, z2 the master head's (fc2) logits, temperature T,
 * no T^2 factor and no stop-gradient on the teacher, as in the reference. Gradients:
 * {@code dL/dz2 = w (p2 - p1) / T} and {@code dL/dz1_j = -w p1_j (log p2_j - sum_k p1_k log p2_k) / T}.
 *
 * <p>Its input (the "pre-output") is the two logit vectors side by side, (N, 2K): z1 then z2,
 * as a MergeVertex of fc1 and fc2 gives them. It has no labels of its own: the label array it
 * is given is ignored except for its row count; the TASN graph feeds it the same one-hot
 * class labels (N, K) as every other output.
 */
public class DistillationLoss implements ILossFunction {
    @JsonProperty
    private double temperature;
    @JsonProperty
    private double weight;

    /** For JSON deserialisation. */
    public DistillationLoss() {
        this(10, 1);
    }

    public DistillationLoss(@JsonProperty("temperature") double temperature, @JsonProperty("weight") double weight) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive: " + temperature);
        }
        this.temperature = temperature;
        this.weight = weight;
    }

    public double temperature() {
        return temperature;
    }

    public double weight() {
        return weight;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Terms t = terms(labels, preOutput, activationFn);
        // -w sum_k p1_k log p2_k, one value per example, as an (N, 1) column
        INDArray score = t.p1.mul(t.logP2).sum(true, 1).muli(-weight);
        return mask == null ? score : score.muli(mask.reshape(score.shape()).castTo(score.dataType()));
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Terms t = terms(labels, preOutput, activationFn);
        long k = t.p1.size(1);
        INDArray dOut = preOutput.ulike();
        // dL/dz1_j = -w p1_j (log p2_j - sum_k p1_k log p2_k) / T
        INDArray expectedLogP2 = t.p1.mul(t.logP2).sum(true, 1);
        INDArray dz1 = t.logP2.subColumnVector(expectedLogP2).muli(t.p1).muli(-weight / temperature);
        // dL/dz2 = w (p2 - p1) / T
        INDArray dz2 = Transforms.exp(t.logP2, true).subi(t.p1).muli(weight / temperature);
        dOut.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).assign(dz1);
        dOut.get(NDArrayIndex.all(), NDArrayIndex.interval(k, 2 * k)).assign(dz2);
        if (mask != null) {
            dOut.muliColumnVector(mask.reshape(mask.length(), 1).castTo(dOut.dataType()));
        }
        return activationFn.backprop(preOutput.dup(), dOut).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                           INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "DistillationLoss(T=" + temperature + ", weight=" + weight + ")";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistillationLoss d && d.temperature == temperature && d.weight == weight;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(temperature) * 31 + Double.hashCode(weight);
    }

    /** The teacher's soft targets p1 and the student's log-probabilities log p2. */
    private record Terms(INDArray p1, INDArray logP2) {
    }

    private Terms terms(INDArray labels, INDArray preOutput, IActivation activationFn) {
        if (preOutput.rank() != 2 || preOutput.size(1) % 2 != 0) {
            throw new IllegalArgumentException("DistillationLoss: expected the part and master logits side by side, "
                    + "(N, 2K); got shape " + java.util.Arrays.toString(preOutput.shape()));
        }
        if (labels != null && labels.size(0) != preOutput.size(0)) {
            throw new IllegalArgumentException("DistillationLoss: labels have " + labels.size(0) + " rows, logits "
                    + preOutput.size(0));
        }
        INDArray z = activationFn.getActivation(preOutput.dup(), true);
        long k = z.size(1) / 2;
        INDArray z1 = z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).div(temperature);
        INDArray z2 = z.get(NDArrayIndex.all(), NDArrayIndex.interval(k, 2 * k)).div(temperature);
        return new Terms(softmax(z1), logSoftmax(z2));
    }

    private static INDArray logSoftmax(INDArray z) {
        INDArray shifted = z.subColumnVector(z.max(true, 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSum);
    }

    private static INDArray softmax(INDArray z) {
        return Transforms.exp(logSoftmax(z), false);
    }
}
