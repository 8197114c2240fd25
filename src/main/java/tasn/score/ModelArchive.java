package tasn.score;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import tasn.config.ConfigLoader;
import tasn.config.ModelConfig;
import tasn.config.UsageException;
import tasn.model.SavedModel;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A saved model as the score and sample jobs use it: the graph, its model configuration, the
 * class names and the channel mean that training subtracted, all read from the one model zip
 * (DL4J's {@link ModelSerializer} format with extra entries), found on any Hadoop file system.
 *
 * <p>Entries read: the model configuration from {@value #MODEL_CONFIG} (JSON of
 * {@link ModelConfig}, as {@link SavedModel} writes it) or else the run's resolved configuration
 * ({@value #RUN_CONFIG} as the train job names it, or SavedModel's run configuration entry; HOCON); class names from {@value #CLASSES} (one a line; without it the
 * classes are named by their index); the mean from {@value #CHANNEL_MEAN} ({@code [r, g, b]},
 * 0-255), unless {@code score.channel-mean} overrides it. {@link #save} writes them all.
 */
public record ModelArchive(ComputationGraph graph, ModelConfig model, List<String> classes, float[] channelMean,
                           String source) {
    public static final String MODEL_CONFIG = SavedModel.MODEL_CONFIG_KEY;
    /** The run configuration as the train job's final model.zip names it. */
    public static final String RUN_CONFIG = "tasn-config";
    public static final String CLASSES = SavedModel.CLASSES_KEY;
    public static final String CHANNEL_MEAN = SavedModel.CHANNEL_MEAN_KEY;

    /** Where a model lives and which version of it: what executors need to load the same one. */
    public record Reference(String path, long modificationTime, long length, float[] meanOverride) implements Serializable {
        /** Cache key: the same file, unchanged, with the same mean. */
        String key() {
            return path + "@" + modificationTime + "/" + length + "/" + Arrays.toString(meanOverride);
        }
    }

    public int numClasses() {
        return classes.size();
    }

    public int inputSize() {
        return model.inputSize();
    }

    /**
     * Resolves {@code --model}: a model zip, or a folder holding {@code model.zip} (a train run
     * directory or one of its checkpoints). Usage errors name the option.
     */
    public static Reference locate(String modelPath, Configuration hadoop, float[] meanOverride) {
        if (modelPath == null || modelPath.isBlank()) {
            throw new UsageException("--model: give the model.zip written by jobs/train.sh");
        }
        try {
            Path path = new Path(modelPath);
            FileSystem fs = path.getFileSystem(hadoop);
            FileStatus status = fs.getFileStatus(fs.makeQualified(path));
            if (status.isDirectory()) {
                Path inside = new Path(status.getPath(), "model.zip");
                if (!fs.exists(inside)) {
                    throw new UsageException("--model " + modelPath + ": a folder without model.zip; give the model.zip of a "
                            + "train run (RUN/model.zip) or a checkpoint folder (RUN/checkpoints/epoch-N)");
                }
                status = fs.getFileStatus(inside);
            }
            return new Reference(status.getPath().toString(), status.getModificationTime(), status.getLen(),
                    meanOverride == null ? null : meanOverride.clone());
        } catch (FileNotFoundException e) {
            throw new UsageException("--model " + modelPath + ": no such file; give the model.zip written by jobs/train.sh");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --model " + modelPath + ": " + e.getMessage(), e);
        }
    }

    /** Reads the model a reference names (copied to a local temporary file first). */
    public static ModelArchive read(Reference reference, Configuration hadoop) {
        File local = null;
        try {
            Path path = new Path(reference.path());
            local = Files.createTempFile("tasn-score-model", ".zip").toFile();
            try (InputStream in = path.getFileSystem(hadoop).open(path)) {
                Files.copy(in, local.toPath(), StandardCopyOption.REPLACE_EXISTING);
            }
            return read(local, reference.path(), reference.meanOverride());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --model " + reference.path() + ": " + e.getMessage(), e);
        } finally {
            if (local != null && !local.delete()) {
                local.deleteOnExit();
            }
        }
    }

    static ModelArchive read(File zip, String source, float[] meanOverride) throws IOException {
        List<String> entries;
        try {
            entries = ModelSerializer.listObjectsInFile(zip);
        } catch (RuntimeException e) {
            throw new UsageException("--model " + source + ": not a model zip (" + e.getMessage() + "); give the model.zip "
                    + "written by jobs/train.sh");
        }
        ModelConfig model;
        if (entries.contains(MODEL_CONFIG)) {
            model = ModelConfig.fromJson(ModelSerializer.getObjectFromFile(zip, MODEL_CONFIG));
        } else if (entries.contains(RUN_CONFIG) || entries.contains(SavedModel.RUN_CONFIG_KEY)) {
            String entry = entries.contains(RUN_CONFIG) ? RUN_CONFIG : SavedModel.RUN_CONFIG_KEY;
            model = ConfigLoader.fromRendered(ModelSerializer.getObjectFromFile(zip, entry)).model();
        } else {
            throw new UsageException("--model " + source + ": carries no configuration (no " + MODEL_CONFIG + " or "
                    + RUN_CONFIG + " entry); give the final model.zip of a train run, which has it");
        }
        float[] mean = meanOverride;
        if (mean == null) {
            if (!entries.contains(CHANNEL_MEAN)) {
                throw new UsageException("--model " + source + ": carries no channel mean (entry " + CHANNEL_MEAN + "); "
                        + "give the mean the model was trained with: --set score.channel-mean=[R,G,B] (dataset.json's "
                        + "channel_mean of its training data)");
            }
            mean = parseMean(ModelSerializer.getObjectFromFile(zip, CHANNEL_MEAN), source);
        }
        List<String> classes = new ArrayList<>();
        if (entries.contains(CLASSES)) {
            for (String line : ModelSerializer.<String>getObjectFromFile(zip, CLASSES).split("\n", -1)) {
                classes.add(line);
            }
        } else {
            for (int k = 0; k < model.numClasses(); k++) {
                classes.add(Integer.toString(k));
            }
        }
        if (classes.size() != model.numClasses()) {
            throw new UsageException("--model " + source + ": names " + classes.size() + " classes but its configuration says "
                    + "model.num-classes = " + model.numClasses() + "; the file is inconsistent, save it again");
        }
        ComputationGraph graph;
        try {
            graph = ModelSerializer.restoreComputationGraph(zip, false);
        } catch (IOException | RuntimeException e) {
            throw new UsageException("--model " + source + ": cannot load the network (" + e + "); give a model.zip "
                    + "written by this version of tasn-spark");
        }
        return new ModelArchive(graph, model, List.copyOf(classes), mean, source);
    }

    private static float[] parseMean(String text, String source) {
        String[] parts = text.replace("[", "").replace("]", "").trim().split("\\s*,\\s*");
        if (parts.length != 3) {
            throw new UsageException("--model " + source + ": entry " + CHANNEL_MEAN + " = " + text + " is not three numbers");
        }
        float[] mean = new float[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = Float.parseFloat(parts[c]);
        }
        return mean;
    }

    /**
     * Writes {@code graph} with every entry this class reads: the model configuration, the class
     * names and the channel mean. The train job's final model carries the same entries.
     */
    public static void save(File file, ComputationGraph graph, ModelConfig model, List<String> classes, float[] channelMean)
            throws IOException {
        if (classes.size() != model.numClasses()) {
            throw new IllegalArgumentException(classes.size() + " class names for model.num-classes = " + model.numClasses());
        }
        SavedModel.save(file, graph, model, null, false);
        SavedModel.addTrainingData(file, classes, channelMean);
    }
}
