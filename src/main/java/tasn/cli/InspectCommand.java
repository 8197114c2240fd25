package tasn.cli;

import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tasn.config.ModelConfig;
import tasn.config.TasnConfig;
import tasn.config.UsageException;
import tasn.model.ModelSummary;
import tasn.model.SavedModel;
import tasn.model.TasnGraph;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code tasn inspect}: builds the configured model (no Spark) and prints its summary. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
                "Builds the TASN graph (or, with --baseline, the baseline classifier) of a configuration and prints",
                "every vertex with its inputs, output shape and parameters, then the parameters per branch",
                "(attention net, attention head, backbone, heads) and in total. With --model, the same for a saved",
                "model. Runs on one machine, without Spark."})
public final class InspectCommand implements Callable<Integer> {
    @Option(names = "--baseline", description = "Inspect the baseline: the backbone on the image resized to the sampled size.")
    boolean baseline;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Inspect a saved model (a model.zip of the train job) instead of building one; "
                    + "its configuration is read from the file, so --config, --set and --baseline do not apply.")
    File modelFile;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws IOException {
        String name;
        ModelConfig model;
        ComputationGraph graph;
        boolean isBaseline;
        if (modelFile != null) {
            if (!modelFile.isFile()) {
                throw new UsageException("--model " + modelFile + ": no such file; give a model.zip written by the train job");
            }
            SavedModel saved = SavedModel.load(modelFile, false);
            name = modelFile.getPath();
            model = saved.model();
            graph = saved.graph();
            isBaseline = saved.isBaseline();
        } else {
            TasnConfig config = configOptions.load();
            name = config.name();
            model = config.model();
            isBaseline = baseline;
            graph = baseline ? TasnGraph.baseline(model) : TasnGraph.build(model);
        }
        System.out.printf("%s %s: input %dx%d, attention %dx%d, sampled %dx%d, %d classes%n",
                name, isBaseline ? "baseline" : "TASN", model.inputSize(), model.inputSize(),
                model.attentionSize(), model.attentionSize(), model.sampledSize(), model.sampledSize(), model.numClasses());
        System.out.printf("attention net %s%nbackbone      %s%n%n", model.attention(), model.backbone());
        System.out.print(ModelSummary.of(graph, model.inputSize()).render());
        return TasnMain.EXIT_OK;
    }
}
