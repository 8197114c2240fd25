package tasn.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A model summary of a TASN or baseline graph: every vertex in topological order with its
 * kind, inputs, output shape and parameter count, then the parameters per {@link Branch} and
 * in total. "params" counts what DL4J stores, BatchNorm running means and variances included;
 * "trainable" leaves those out (the count papers and torchvision report).
 */
public final class ModelSummary {
    /** One vertex: name, kind, inputs, output shape (without the batch axis), parameters. */
    public record Row(String name, String kind, List<String> inputs, String outputShape, long params, long trainable,
                      Branch branch) {
    }

    /** BatchNorm's running statistics: stored with the parameters, not learned by gradient. */
    private static final java.util.Set<String> RUNNING_STATISTICS = java.util.Set.of(
            BatchNormalizationParamInitializer.GLOBAL_MEAN, BatchNormalizationParamInitializer.GLOBAL_VAR,
            BatchNormalizationParamInitializer.GLOBAL_LOG_STD);

    private final List<Row> rows;
    private final Map<Branch, Long> perBranch;
    private final Map<Branch, Long> trainablePerBranch;
    private final long total;

    private ModelSummary(List<Row> rows, Map<Branch, Long> perBranch, Map<Branch, Long> trainablePerBranch, long total) {
        this.rows = rows;
        this.perBranch = perBranch;
        this.trainablePerBranch = trainablePerBranch;
        this.total = total;
    }

    /** Summarises {@code graph} for input images of {@code size} x {@code size}. */
    public static ModelSummary of(ComputationGraph graph, int size) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, InputType> types = conf.getLayerActivationTypes(InputType.convolutional(size, size, 3));
        Map<String, List<String>> inputs = conf.getVertexInputs();
        List<Row> rows = new ArrayList<>();
        Map<Branch, Long> perBranch = new EnumMap<>(Branch.class);
        Map<Branch, Long> trainablePerBranch = new EnumMap<>(Branch.class);
        for (Branch b : Branch.values()) {
            perBranch.put(b, 0L);
            trainablePerBranch.put(b, 0L);
        }
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex vertex = graph.getVertex(name);
            long params = vertex == null ? 0 : vertex.numParams();
            long trainable = params == 0 ? 0 : vertex.paramTable(false).entrySet().stream()
                    .filter(e -> !RUNNING_STATISTICS.contains(e.getKey()))
                    .mapToLong(e -> e.getValue().length()).sum();
            Branch branch = Branch.of(name);
            perBranch.merge(branch, params, Long::sum);
            trainablePerBranch.merge(branch, trainable, Long::sum);
            InputType type = types.get(name);
            if (isLossLayer(conf.getVertices().get(name)) && inputs.get(name).size() == 1) {
                type = types.get(inputs.get(name).get(0)); // DL4J reports size 0 for a LossLayer's output
            }
            String shape = type == null ? "?" : Arrays.stream(type.getShape(false))
                    .mapToObj(Long::toString).collect(Collectors.joining("x"));
            rows.add(new Row(name, kind(conf.getVertices().get(name), vertex), inputs.getOrDefault(name, List.of()),
                    shape, params, trainable, branch));
        }
        return new ModelSummary(rows, perBranch, trainablePerBranch, graph.numParams());
    }

    public List<Row> rows() {
        return rows;
    }

    public long params(Branch branch) {
        return perBranch.get(branch);
    }

    /** The branch's parameters without BatchNorm running statistics. */
    public long trainable(Branch branch) {
        return trainablePerBranch.get(branch);
    }

    public long total() {
        return total;
    }

    public long trainableTotal() {
        return trainablePerBranch.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The summary as a fixed-width table followed by the per-branch counts. */
    public String render() {
        int nameWidth = Math.max(6, rows.stream().mapToInt(r -> r.name().length()).max().orElse(6));
        int kindWidth = Math.max(4, rows.stream().mapToInt(r -> r.kind().length()).max().orElse(4));
        String format = "%-" + nameWidth + "s  %-" + kindWidth + "s  %-14s  %12s  %12s  %s%n";
        StringBuilder out = new StringBuilder();
        out.append(String.format(format, "vertex", "kind", "output", "params", "trainable", "inputs"));
        for (Row r : rows) {
            out.append(String.format(format, r.name(), r.kind(), r.outputShape(), String.format("%,d", r.params()),
                    String.format("%,d", r.trainable()), String.join(", ", r.inputs())));
        }
        out.append(System.lineSeparator()).append(String.format("%-18s %14s %14s%n", "parameters", "params", "trainable"));
        for (Branch b : Branch.values()) {
            if (perBranch.get(b) > 0 || b != Branch.PLUMBING) {
                out.append(String.format("  %-16s %,14d %,14d%n", b.label(), perBranch.get(b), trainablePerBranch.get(b)));
            }
        }
        out.append(String.format("  %-16s %,14d %,14d%n", "total", total, trainableTotal()));
        return out.toString();
    }

    private static boolean isLossLayer(org.deeplearning4j.nn.conf.graph.GraphVertex confVertex) {
        return confVertex instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof LossLayer;
    }

    private static String kind(org.deeplearning4j.nn.conf.graph.GraphVertex confVertex, GraphVertex vertex) {
        if (confVertex instanceof LayerVertex lv) {
            return lv.getLayerConf().getLayer().getClass().getSimpleName();
        }
        if (confVertex == null) {
            return vertex != null && vertex.isInputVertex() ? "Input" : "?";
        }
        return confVertex.getClass().getSimpleName();
    }

}
