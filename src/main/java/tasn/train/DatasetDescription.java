package tasn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import tasn.config.UsageException;
import tasn.data.ShardSchema;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the train job needs from the ingest job's {@code dataset.json}: the class names (label
 * i is {@code classes[i]}), the shard schema version, and the per-channel mean on the 0-255
 * scale that training subtracts (TASN.md: mean subtraction, no std division).
 */
public record DatasetDescription(List<String> classes, int schemaVersion, float[] channelMean) implements Serializable {

    /** The shard schema version this job reads: the one the ingest job of this build writes. */
    public static final int SUPPORTED_SCHEMA_VERSION = ShardSchema.SCHEMA_VERSION;

    /** Reads and checks {@code DATA/dataset.json}; every problem is a usage error naming the file. */
    public static DatasetDescription read(Path dataDir, Configuration hadoop) {
        Path file = new Path(dataDir, "dataset.json");
        JsonNode root;
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                throw new UsageException("--data " + dataDir + ": no dataset.json there; give the --output directory of a "
                        + "finished jobs/ingest.sh run");
            }
            try (InputStream in = fs.open(file)) {
                root = new ObjectMapper().readTree(in);
            }
        } catch (IOException e) {
            throw new UsageException("--data " + dataDir + ": cannot read dataset.json: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new UsageException(file + ": not a JSON object; re-run jobs/ingest.sh");
        }
        JsonNode version = root.get("schema_version");
        if (version == null || !version.canConvertToInt()) {
            throw new UsageException(file + ": no schema_version; re-run jobs/ingest.sh with this version of tasn-spark");
        }
        if (version.asInt() != SUPPORTED_SCHEMA_VERSION) {
            throw new UsageException(file + ": shard schema_version " + version.asInt() + ", this train job reads version "
                    + SUPPORTED_SCHEMA_VERSION + "; re-run jobs/ingest.sh with this version of tasn-spark");
        }
        JsonNode classNodes = root.get("classes");
        if (classNodes == null || !classNodes.isArray() || classNodes.size() < 2) {
            throw new UsageException(file + ": classes must list at least two class names");
        }
        List<String> classes = new ArrayList<>();
        classNodes.forEach(n -> classes.add(n.asText()));
        JsonNode meanNode = root.get("channel_mean");
        if (meanNode == null || !meanNode.isArray() || meanNode.size() != 3) {
            throw new UsageException(file + ": channel_mean must hold three numbers (R, G, B on the 0-255 scale)");
        }
        float[] mean = new float[3];
        for (int c = 0; c < 3; c++) {
            if (!meanNode.get(c).isNumber()) {
                throw new UsageException(file + ": channel_mean has no value for channel " + c + " (no training images?); "
                        + "the train job needs training images");
            }
            mean[c] = (float) meanNode.get(c).asDouble();
        }
        return new DatasetDescription(List.copyOf(classes), version.asInt(), mean);
    }

    public int numClasses() {
        return classes.size();
    }
}
