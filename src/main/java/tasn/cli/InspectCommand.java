package tasn.cli;

import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tasn.config.ModelConfig;
import tasn.config.TasnConfig;
import tasn.model.ModelSummary;
import tasn.model.TasnGraph;

import java.util.concurrent.Callable;

/** {@code tasn inspect}: builds the configured model (no Spark) and prints its summary. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
                "Builds the TASN graph (or, with --baseline, the baseline classifier) of a configuration and prints",
                "every vertex with its inputs, output shape and parameters, then the parameters per branch",
                "(attention net, attention head, backbone, heads) and in total. Runs on one machine, without Spark."})
public final class InspectCommand implements Callable<Integer> {
    @Option(names = "--baseline", description = "Inspect the baseline: the backbone on the image resized to the sampled size.")
    boolean baseline;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        TasnConfig config = configOptions.load();
        ModelConfig model = config.model();
        ComputationGraph graph = baseline ? TasnGraph.baseline(model) : TasnGraph.build(model);
        System.out.printf("%s %s: input %dx%d, attention %dx%d, sampled %dx%d, %d classes%n",
                config.name(), baseline ? "baseline" : "TASN", model.inputSize(), model.inputSize(),
                model.attentionSize(), model.attentionSize(), model.sampledSize(), model.sampledSize(), model.numClasses());
        System.out.printf("attention net %s%nbackbone      %s%n%n", model.attention(), model.backbone());
        System.out.print(ModelSummary.of(graph, model.inputSize()).render());
        return TasnMain.EXIT_OK;
    }
}
