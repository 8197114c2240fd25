package tasn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * RUN_DIR/metrics.jsonl: one JSON object a line, {@code "event":"iteration"} every few
 * minibatches and {@code "event":"epoch"} after every epoch. The file is replaced whole on
 * every write (it is small), so it is never half-written; a resumed run first drops every
 * line of epochs after its checkpoint, so no epoch appears twice.
 */
public final class MetricsLog {
    static final ObjectMapper JSON = new ObjectMapper();

    private final FileSystem fs;
    private final Path file;
    private final List<String> lines = new ArrayList<>();

    private MetricsLog(FileSystem fs, Path file) {
        this.fs = fs;
        this.file = file;
    }

    /** A new, empty log. */
    static MetricsLog create(FileSystem fs, Path file) {
        return new MetricsLog(fs, file);
    }

    /** The existing log, keeping only the lines of epochs up to {@code lastEpoch} (1-based). */
    static MetricsLog resume(FileSystem fs, Path file, int lastEpoch) throws IOException {
        MetricsLog log = new MetricsLog(fs, file);
        if (fs.exists(file)) {
            for (String line : RunFiles.readText(fs, file).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                if (node.path("epoch").asInt(Integer.MAX_VALUE) <= lastEpoch) {
                    log.lines.add(line);
                }
            }
        }
        log.flush();
        return log;
    }

    public ObjectNode newEvent(String event, int epoch) {
        ObjectNode node = JSON.createObjectNode();
        node.put("event", event);
        node.put("epoch", epoch);
        node.put("time", java.time.Instant.now().toString());
        return node;
    }

    public void append(ObjectNode event) {
        lines.add(event.toString());
        flush();
    }

    /** The epoch lines written so far, parsed (for the training curves). */
    public List<JsonNode> epochs() {
        List<JsonNode> epochs = new ArrayList<>();
        for (String line : lines) {
            try {
                JsonNode node = JSON.readTree(line);
                if ("epoch".equals(node.path("event").asText())) {
                    epochs.add(node);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return epochs;
    }

    private void flush() {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        try {
            RunFiles.replace(fs, file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
