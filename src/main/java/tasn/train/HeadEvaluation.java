package tasn.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tasn.model.speed.DeepLearningSpeed;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates every classifier head of the current model on a split, on the executors: the
 * model's configuration and parameters are broadcast, each partition rebuilds the graph once
 * and counts top-1 and top-5 hits and the cross-entropy of the true class per head; the
 * driver only adds the counts up.
 */
public final class HeadEvaluation {
    private static final int FIELDS = 4; // images, top-1 hits, top-5 hits, summed cross-entropy

    /** One head's result on one split. */
    public record HeadResult(long images, double top1, double top5, double loss) {
    }

    private HeadEvaluation() {
    }

    public static Map<String, HeadResult> evaluate(JavaSparkContext sc, ComputationGraph net, JavaRDD<ShardExample> rows,
                                                   BatchAssembler assembler, int evalBatchSize, int partitions) {
        List<OutputLabels.Output> outputs = assembler.labels().outputs();
        Broadcast<String> configuration = sc.broadcast(net.getConfiguration().toJson());
        Broadcast<byte[]> parameters = sc.broadcast(write(net.params()));
        double[] totals = rows.coalesce(partitions).mapPartitions(part -> {
            double[] counts = new double[outputs.size() * FIELDS];
            if (!part.hasNext()) {
                return List.of(counts).iterator();
            }
            DeepLearningSpeed.enable(); // on the executor, before its layers exist
            ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(configuration.value()));
            graph.init(read(parameters.value()), false);
            List<ShardExample> batch = new ArrayList<>(evalBatchSize);
            while (part.hasNext()) {
                batch.add(part.next());
                if (batch.size() == evalBatchSize || !part.hasNext()) {
                    score(graph, assembler, outputs, batch, counts);
                    batch.clear();
                }
            }
            return List.of(counts).iterator();
        }).reduce(HeadEvaluation::add);
        configuration.destroy();
        parameters.destroy();
        Map<String, HeadResult> results = new LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).head()) {
                double n = totals[i * FIELDS];
                results.put(outputs.get(i).name(), new HeadResult((long) n, ratio(totals[i * FIELDS + 1], n),
                        ratio(totals[i * FIELDS + 2], n), ratio(totals[i * FIELDS + 3], n)));
            }
        }
        return results;
    }

    private static void score(ComputationGraph graph, BatchAssembler assembler, List<OutputLabels.Output> outputs,
                              List<ShardExample> batch, double[] counts) {
        INDArray[] predicted = graph.output(false, assembler.features(batch));
        for (int o = 0; o < outputs.size(); o++) {
            if (!outputs.get(o).head()) {
                continue;
            }
            float[][] probabilities = predicted[o].toFloatMatrix();
            for (int n = 0; n < batch.size(); n++) {
                int label = batch.get(n).label();
                float[] p = probabilities[n];
                int rank = 0; // other classes scored at least as high as the true one (ties count against)
                for (int j = 0; j < p.length; j++) {
                    if (j != label && p[j] >= p[label]) {
                        rank++;
                    }
                }
                counts[o * FIELDS] += 1;
                counts[o * FIELDS + 1] += rank == 0 ? 1 : 0;
                counts[o * FIELDS + 2] += rank < 5 ? 1 : 0;
                counts[o * FIELDS + 3] += -Math.log(Math.max(p[label], 1e-12));
            }
        }
    }

    private static double[] add(double[] a, double[] b) {
        double[] sum = a.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += b[i];
        }
        return sum;
    }

    private static double ratio(double a, double n) {
        return n == 0 ? Double.NaN : a / n;
    }

    static byte[] write(INDArray array) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            Nd4j.write(array, out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static INDArray read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
