package tasn.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.serde.json.JsonMappers;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DistillationLossTest {
    private static final double T = 10;
    private static final double W = 1.0;
    /** Two examples, K = 3: part logits z1 then master logits z2. */
    private static final double[][] LOGITS = {
            {2.0, -1.0, 0.5, -3.0, 4.0, 1.0},
            {0.0, 8.0, -2.0, 1.5, 1.5, -6.0}};

    @Test
    void scoreIsTheBatchMeanOfTheSoftCrossEntropyAtTemperatureT() {
        DistillationLoss loss = new DistillationLoss(T, W);
        INDArray z = Nd4j.createFromArray(LOGITS);
        double expected = 0;
        for (double[] row : LOGITS) {
            double[] p1 = softmax(row, 0);
            double[] p2 = softmax(row, 3);
            for (int k = 0; k < 3; k++) {
                expected -= W * p1[k] * Math.log(p2[k]);
            }
        }
        expected /= LOGITS.length;
        assertEquals(expected, loss.computeScore(labels(), z, new ActivationIdentity(), null, true), 1e-12);
        assertEquals(expected * 2, new DistillationLoss(T, 2 * W).computeScore(labels(), z, new ActivationIdentity(), null, true), 1e-12);
    }

    @Test
    void gradientMatchesTheHandFormulaAndFiniteDifferences() {
        DistillationLoss loss = new DistillationLoss(T, 0.7);
        INDArray z = Nd4j.createFromArray(LOGITS);
        INDArray grad = loss.computeGradient(labels(), z, new ActivationIdentity(), null);
        for (int n = 0; n < LOGITS.length; n++) {
            double[] p1 = softmax(LOGITS[n], 0);
            double[] p2 = softmax(LOGITS[n], 3);
            double expectedLogP2 = 0;
            for (int k = 0; k < 3; k++) {
                expectedLogP2 += p1[k] * Math.log(p2[k]);
            }
            for (int k = 0; k < 3; k++) {
                // teacher side: no stop-gradient
                assertEquals(-0.7 * p1[k] * (Math.log(p2[k]) - expectedLogP2) / T, grad.getDouble(n, k), 1e-12);
                assertEquals(0.7 * (p2[k] - p1[k]) / T, grad.getDouble(n, 3 + k), 1e-12);
            }
        }
        // the per-example gradient is the derivative of the summed score
        double h = 1e-6;
        for (int n = 0; n < LOGITS.length; n++) {
            for (int j = 0; j < 6; j++) {
                INDArray plus = z.dup();
                plus.putScalar(n, j, z.getDouble(n, j) + h);
                INDArray minus = z.dup();
                minus.putScalar(n, j, z.getDouble(n, j) - h);
                double numeric = (loss.computeScore(labels(), plus, new ActivationIdentity(), null, false)
                        - loss.computeScore(labels(), minus, new ActivationIdentity(), null, false)) / (2 * h);
                assertEquals(numeric, grad.getDouble(n, j), 1e-8);
            }
        }
    }

    @Test
    void survivesDl4jJson() throws Exception {
        DistillationLoss loss = new DistillationLoss(4, 0.25);
        String json = JsonMappers.getMapper().writeValueAsString(loss);
        ILossFunction back = JsonMappers.getMapper().readValue(json, ILossFunction.class);
        assertEquals(loss, back);
    }

    private static INDArray labels() {
        return Nd4j.zeros(DataType.DOUBLE, LOGITS.length, 3);
    }

    private static double[] softmax(double[] row, int from) {
        double max = Math.max(row[from], Math.max(row[from + 1], row[from + 2]));
        double[] e = new double[3];
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            e[k] = Math.exp((row[from + k] - max) / T);
            sum += e[k];
        }
        for (int k = 0; k < 3; k++) {
            e[k] /= sum;
        }
        return e;
    }
}
