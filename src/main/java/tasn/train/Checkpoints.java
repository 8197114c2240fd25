package tasn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * RUN_DIR/checkpoints/epoch-NNNNNN/: the model with its updater state ({@code model.zip}) and
 * the training state ({@code state.json}: epoch, iteration, seed, learning rate, best accuracy
 * so far and its epoch, and how the run started: baseline or TASN, the {@code --init} model,
 * the data's class names; {@code --resume} checks its command line against them). A checkpoint is written under a temporary name and renamed into place,
 * so a kill during a save leaves at worst a stray temporary directory, never a broken
 * newest checkpoint. The newest {@code keep} and the best are kept.
 *
 * <p>The run's random state needs no saving: every random choice of an epoch is a function
 * of (seed, epoch, image) ({@link EpochRandom}), so the epoch number restores it.
 */
public final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final String PREFIX = "epoch-";

    /**
     * What a checkpoint restores besides the model.
     *
     * @param init    the {@code --init} model the run started from (a qualified path), "" if it
     *                started from fresh weights, null if the checkpoint does not say (written
     *                before state.json recorded it)
     * @param classes the class names of the data the run trains on, in label order; null if the
     *                checkpoint does not say
     */
    public record State(int epoch, long iteration, long seed, double learningRate, double bestAccuracy, int bestEpoch,
                        boolean baseline, String init, List<String> classes) {
        public State {
            classes = classes == null ? null : List.copyOf(classes);
        }
    }

    /** A checkpoint read back: its state and the model with its updater. */
    public record Restored(State state, ComputationGraph model, Path directory) {
    }

    private final FileSystem fs;
    private final Path root;
    private final int keep;

    public Checkpoints(FileSystem fs, Path root, int keep) {
        this.fs = fs;
        this.root = root;
        this.keep = keep;
    }

    public Path save(ComputationGraph model, State state) throws IOException {
        fs.mkdirs(root);
        String name = String.format("%s%06d", PREFIX, state.epoch());
        Path temp = new Path(root, "." + name + ".tmp");
        Path target = new Path(root, name);
        fs.delete(temp, true);
        fs.mkdirs(temp);
        try (FSDataOutputStream out = fs.create(new Path(temp, "model.zip"), true)) {
            ModelSerializer.writeModel(model, out, true);
        }
        ObjectNode json = MetricsLog.JSON.createObjectNode();
        json.put("epoch", state.epoch());
        json.put("iteration", state.iteration());
        json.put("seed", state.seed());
        json.put("learning_rate", state.learningRate());
        json.put("best_accuracy", state.bestAccuracy());
        json.put("best_epoch", state.bestEpoch());
        json.put("baseline", state.baseline());
        json.put("init", state.init());
        if (state.classes() != null) {
            com.fasterxml.jackson.databind.node.ArrayNode names = json.putArray("classes");
            state.classes().forEach(names::add);
        }
        try (FSDataOutputStream out = fs.create(new Path(temp, "state.json"), true)) {
            out.write(json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        fs.delete(target, true);
        if (!fs.rename(temp, target)) {
            throw new IOException("cannot rename checkpoint " + temp + " to " + target);
        }
        prune(state.bestEpoch());
        return target;
    }

    /** The newest checkpoint that reads back whole; unreadable ones are skipped with a warning. */
    public Optional<Restored> newestValid() throws IOException {
        for (Path dir : listNewestFirst()) {
            try {
                return Optional.of(read(fs, dir));
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping unreadable checkpoint {}: {}", dir, e.toString());
                System.err.println("warning: skipping unreadable checkpoint " + dir + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    public List<Path> listNewestFirst() throws IOException {
        List<Path> dirs = new ArrayList<>();
        if (!fs.exists(root)) {
            return dirs;
        }
        for (FileStatus status : fs.listStatus(root)) {
            if (status.isDirectory() && status.getPath().getName().matches(PREFIX + "\\d+")) {
                dirs.add(status.getPath());
            }
        }
        dirs.sort(Comparator.comparing((Path p) -> p.getName()).reversed());
        return dirs;
    }

    static Restored read(FileSystem fs, Path dir) throws IOException {
        JsonNode json = MetricsLog.JSON.readTree(RunFiles.readText(fs, new Path(dir, "state.json")));
        State state = new State(json.get("epoch").asInt(), json.get("iteration").asLong(), json.get("seed").asLong(),
                json.get("learning_rate").asDouble(), json.get("best_accuracy").asDouble(),
                json.get("best_epoch").asInt(), json.get("baseline").asBoolean(),
                json.path("init").isTextual() ? json.get("init").asText() : null, classes(json.get("classes")));
        ComputationGraph model;
        try (InputStream in = fs.open(new Path(dir, "model.zip"))) {
            model = ModelSerializer.restoreComputationGraph(in, true);
        }
        return new Restored(state, model, dir);
    }

    private static List<String> classes(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    private void prune(int bestEpoch) throws IOException {
        List<Path> dirs = listNewestFirst();
        String best = String.format("%s%06d", PREFIX, bestEpoch);
        for (int i = keep; i < dirs.size(); i++) {
            if (!dirs.get(i).getName().equals(best)) {
                fs.delete(dirs.get(i), true);
            }
        }
    }
}
