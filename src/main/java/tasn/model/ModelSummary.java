package tasn.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A model summary of a TASN or baseline graph: every vertex in topological order with its
 * kind, inputs, output shape and parameter count, then the parameters per {@link Branch} and
 * in total. BatchNorm running means and variances count as parameters, as DL4J stores them.
 */
public final class ModelSummary {
    /** One vertex: name, kind, inputs, output shape (without the batch axis), parameters. */
    public record Row(String name, String kind, List<String> inputs, String outputShape, long params, Branch branch) {
    }

    private final List<Row> rows;
    private final Map<Branch, Long> perBranch;
    private final long total;

    private ModelSummary(List<Row> rows, Map<Branch, Long> perBranch, long total) {
        this.rows = rows;
        this.perBranch = perBranch;
        this.total = total;
    }

    /** Summarises {@code graph} for input images of {@code size} x {@code size}. */
    public static ModelSummary of(ComputationGraph graph, int size) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, InputType> types = conf.getLayerActivationTypes(InputType.convolutional(size, size, 3));
        Map<String, List<String>> inputs = conf.getVertexInputs();
        List<Row> rows = new ArrayList<>();
        Map<Branch, Long> perBranch = new EnumMap<>(Branch.class);
        for (Branch b : Branch.values()) {
            perBranch.put(b, 0L);
        }
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex vertex = graph.getVertex(name);
            long params = vertex == null || vertex.numParams() == 0 ? 0 : vertex.numParams();
            Branch branch = Branch.of(name);
            perBranch.merge(branch, params, Long::sum);
            InputType type = types.get(name);
            String shape = type == null ? "?" : Arrays.stream(type.getShape(false))
                    .mapToObj(Long::toString).collect(Collectors.joining("x"));
            rows.add(new Row(name, kind(conf.getVertices().get(name), vertex), inputs.getOrDefault(name, List.of()),
                    shape, params, branch));
        }
        return new ModelSummary(rows, perBranch, graph.numParams());
    }

    public List<Row> rows() {
        return rows;
    }

    public long params(Branch branch) {
        return perBranch.get(branch);
    }

    public long total() {
        return total;
    }

    /** The summary as a fixed-width table followed by the per-branch counts. */
    public String render() {
        int nameWidth = Math.max(6, rows.stream().mapToInt(r -> r.name().length()).max().orElse(6));
        int kindWidth = Math.max(4, rows.stream().mapToInt(r -> r.kind().length()).max().orElse(4));
        String format = "%-" + nameWidth + "s  %-" + kindWidth + "s  %-14s  %12s  %s%n";
        StringBuilder out = new StringBuilder();
        out.append(String.format(format, "vertex", "kind", "output", "params", "inputs"));
        for (Row r : rows) {
            out.append(String.format(format, r.name(), r.kind(), r.outputShape(), String.format("%,d", r.params()),
                    String.join(", ", r.inputs())));
        }
        out.append(System.lineSeparator()).append("parameters per branch:").append(System.lineSeparator());
        for (Branch b : Branch.values()) {
            if (perBranch.get(b) > 0 || b != Branch.PLUMBING) {
                out.append(String.format("  %-16s %,14d%n", b.label(), perBranch.get(b)));
            }
        }
        out.append(String.format("  %-16s %,14d%n", "total", total));
        return out.toString();
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
