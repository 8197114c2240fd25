package tasn.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import tasn.config.ModelConfig;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * A trained TASN (or baseline) graph saved with DL4J's {@link ModelSerializer}, carrying its
 * model configuration inside the same zip (entry {@value #MODEL_CONFIG_KEY}, the JSON of
 * {@link ModelConfig}) and, when given, the run's whole resolved configuration (entry
 * {@value #RUN_CONFIG_KEY}, HOCON), so a saved model can be loaded and scored without its
 * configuration file.
 */
public record SavedModel(ComputationGraph graph, ModelConfig model, String runConfig) {
    public static final String MODEL_CONFIG_KEY = "tasn-model-config.json";
    public static final String RUN_CONFIG_KEY = "tasn-run-config.conf";
    /** The class names, in label-index order, one a line. */
    public static final String CLASSES_KEY = "tasn-classes";
    /** The per-channel mean (R, G, B, 0-255) training subtracted, as {@code [r, g, b]}. */
    public static final String CHANNEL_MEAN_KEY = "tasn-channel-mean";

    /** True when the graph is a baseline rather than TASN. */
    public boolean isBaseline() {
        return TasnGraph.isBaseline(graph);
    }

    /** Writes graph, model configuration and (if not null) the run configuration to {@code file}. */
    public static void save(File file, ComputationGraph graph, ModelConfig model, String runConfig, boolean saveUpdater)
            throws IOException {
        ModelSerializer.writeModel(graph, file, saveUpdater);
        ModelSerializer.addObjectToFile(file, MODEL_CONFIG_KEY, model.toJson());
        if (runConfig != null) {
            ModelSerializer.addObjectToFile(file, RUN_CONFIG_KEY, runConfig);
        }
    }

    /**
     * Adds what scoring needs of the training data to a saved model: the class names and the
     * channel mean, so that the score and sample jobs need no file but the model.
     */
    public static void addTrainingData(File file, java.util.List<String> classes, float[] channelMean) throws IOException {
        if (channelMean.length != 3) {
            throw new IllegalArgumentException("channel mean needs 3 values (R, G, B), got " + channelMean.length);
        }
        ModelSerializer.addObjectToFile(file, CLASSES_KEY, String.join("\n", classes));
        ModelSerializer.addObjectToFile(file, CHANNEL_MEAN_KEY, String.format(java.util.Locale.ROOT, "[%s, %s, %s]",
                channelMean[0], channelMean[1], channelMean[2]));
    }

    /** As {@link #save(File, ComputationGraph, ModelConfig, String, boolean)}, to a stream (say, on HDFS). */
    public static void save(OutputStream out, ComputationGraph graph, ModelConfig model, String runConfig, boolean saveUpdater)
            throws IOException {
        File tmp = File.createTempFile("tasn-model", ".zip");
        try {
            save(tmp, graph, model, runConfig, saveUpdater);
            Files.copy(tmp.toPath(), out);
        } finally {
            Files.deleteIfExists(tmp.toPath());
        }
    }

    /** Reads a model written by {@link #save}; the error names the file when it is not one. */
    public static SavedModel load(File file, boolean loadUpdater) throws IOException {
        if (!file.isFile()) {
            throw new IOException(file + ": no such model file");
        }
        if (!ModelSerializer.listObjectsInFile(file).contains(MODEL_CONFIG_KEY)) {
            throw new IOException(file + ": not a tasn-spark model (no " + MODEL_CONFIG_KEY
                    + " entry); give a model.zip written by the train job");
        }
        String json = ModelSerializer.getObjectFromFile(file, MODEL_CONFIG_KEY);
        String runConfig = ModelSerializer.listObjectsInFile(file).contains(RUN_CONFIG_KEY)
                ? ModelSerializer.getObjectFromFile(file, RUN_CONFIG_KEY) : null;
        ComputationGraph graph = ModelSerializer.restoreComputationGraph(file, loadUpdater);
        return new SavedModel(graph, ModelConfig.fromJson(json), runConfig);
    }

    /** As {@link #load(File, boolean)}, from a stream. */
    public static SavedModel load(InputStream in, boolean loadUpdater) throws IOException {
        File tmp = File.createTempFile("tasn-model", ".zip");
        try {
            Files.copy(in, tmp.toPath(), StandardCopyOption.REPLACE_EXISTING);
            return load(tmp, loadUpdater);
        } finally {
            Files.deleteIfExists(tmp.toPath());
        }
    }
}
