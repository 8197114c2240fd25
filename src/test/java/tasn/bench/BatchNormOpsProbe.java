package tasn.bench;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.api.ops.custom.FusedBatchNorm;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Norm2;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Times the ND4J operations a batch-norm + ReLU training step can be made of. */
public final class BatchNormOpsProbe {
    public static void main(String[] args) {
        int n = 8, c = Integer.parseInt(args.length > 0 ? args[0] : "256"), hw = Integer.parseInt(args.length > 1 ? args[1] : "56");
        INDArray x = Nd4j.rand(DataType.FLOAT, n, c, hw, hw);
        INDArray eps = Nd4j.rand(DataType.FLOAT, n, c, hw, hw).subi(0.5);
        INDArray mean = Nd4j.create(DataType.FLOAT, c), var = Nd4j.create(DataType.FLOAT, c);
        INDArray gamma = Nd4j.ones(DataType.FLOAT, c), beta = Nd4j.zeros(DataType.FLOAT, c);
        INDArray out = Nd4j.create(DataType.FLOAT, n, c, hw, hw);
        INDArray x3 = x.reshape(n, c, (long) hw * hw);
        time("mean(0,2,3)", () -> x.mean(mean, 0, 2, 3));
        time("Variance(0,2,3)", () -> Nd4j.exec(new Variance(x, var, false, 0, 2, 3)));
        time("mean(x3,2)", () -> x3.mean(2));
        time("Variance(x3,2)", () -> Nd4j.exec(new Variance(x3, false, 2)));
        time("sum(x3,2).sum(0)", () -> x3.sum(2).sum(0));
        time("norm2(x3,2)", () -> x3.norm2(2));
        time("sub column bcast", () -> x.reshape(n * c, (long) hw * hw).subColumnVector(Nd4j.rand(DataType.FLOAT, n * c, 1)));
        time("sub bcast dim1 (4d)", () -> x.sub(mean.reshape(1, c, 1, 1)));
        time("batchnorm op", () -> {
            DynamicCustomOp op = DynamicCustomOp.builder("batchnorm").addInputs(x, mean, var, gamma, beta)
                    .addIntegerArguments(1, 1, 1).addFloatingPointArguments(1e-5).build();
            op.setOutputArgument(0, out);
            Nd4j.exec(op);
        });
        INDArray[] bpOut = {Nd4j.create(DataType.FLOAT, n, c, hw, hw), Nd4j.create(DataType.FLOAT, c), Nd4j.create(DataType.FLOAT, c),
                Nd4j.create(DataType.FLOAT, c), Nd4j.create(DataType.FLOAT, c)};
        time("batchnorm_bp op", () -> {
            DynamicCustomOp op = DynamicCustomOp.builder("batchnorm_bp").addInputs(x, mean, var, gamma, beta, eps)
                    .addIntegerArguments(1, 1, 1).addFloatingPointArguments(1e-5).build();
            for (int i = 0; i < 5; i++) op.setOutputArgument(i, bpOut[i]);
            Nd4j.exec(op);
        });
        INDArray xNhwc = x.permute(0, 2, 3, 1).dup('c');
        INDArray[] fbOut = {Nd4j.create(DataType.FLOAT, n, hw, hw, c), Nd4j.create(DataType.FLOAT, c), Nd4j.create(DataType.FLOAT, c)};
        time("fused_batch_norm NHWC", () -> {
            DynamicCustomOp op = DynamicCustomOp.builder("fused_batch_norm").addInputs(xNhwc, gamma, beta)
                    .addIntegerArguments(0, 1).addFloatingPointArguments(1e-5).build();
            for (int i = 0; i < 3; i++) op.setOutputArgument(i, fbOut[i]);
            Nd4j.exec(op);
        });
        time("relu", () -> Transforms.relu(x, true));
        time("relu_bp", () -> Nd4j.exec(new ThresholdReluBp(x, eps, out, 0.0)));
        time("leakyrelu_bp", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp(x, eps, out, 0.0)));
        time("step + muli", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.Step(x, out)).muli(eps));
        time("mul (elementwise)", () -> x.mul(eps));
        time("dup", () -> x.dup());
    }

    private static void time(String what, Runnable r) {
        for (int i = 0; i < 3; i++) r.run();
        int reps = 10;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) r.run();
        System.out.println(String.format(Locale.ROOT, "%-22s %8.2f ms", what, (System.nanoTime() - t0) / 1e6 / reps));
    }
}
