package tasn.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tallies of dataset.json's {@code counts}: for the whole data set, each split and each
 * class, how many source image files were listed, written (at least one row) and rejected,
 * and how many shard rows were written (data.copies per training image, one per val/test
 * image). {@code ignored} (files without an image extension) exists only overall, since such
 * a file belongs to no split or class. A listed file without a class (say, a list row with
 * an empty label) counts overall and in its split but in no class. Always
 * {@code written + rejected = listed}.
 */
public final class IngestCounts {
    /** One row of the tally. */
    public static final class Tally {
        long listed;
        long written;
        long rejected;
        long rows;

        public long listed() {
            return listed;
        }

        public long written() {
            return written;
        }

        public long rejected() {
            return rejected;
        }

        public long rows() {
            return rows;
        }

        void add(long writtenImages, long rejectedImages, long shardRows) {
            written += writtenImages;
            rejected += rejectedImages;
            listed += writtenImages + rejectedImages;
            rows += shardRows;
        }

        ObjectNode toJson(JsonNodeFactory json) {
            ObjectNode node = json.objectNode();
            node.put("listed", listed);
            node.put("written", written);
            node.put("rejected", rejected);
            node.put("rows", rows);
            return node;
        }
    }

    private final Tally overall = new Tally();
    private final Map<String, Tally> splits = new LinkedHashMap<>();
    private final Map<String, Tally> classes = new LinkedHashMap<>();
    private final long ignored;

    public IngestCounts(List<String> classNames, long ignored) {
        for (Split split : Split.values()) {
            splits.put(split.key(), new Tally());
        }
        for (String name : classNames) {
            classes.put(name, new Tally());
        }
        this.ignored = ignored;
    }

    /** Adds what one (split, class) group produced; {@code className} null for images without a class. */
    void add(Split split, String className, long writtenImages, long rejectedImages, long shardRows) {
        overall.add(writtenImages, rejectedImages, shardRows);
        splits.get(split.key()).add(writtenImages, rejectedImages, shardRows);
        if (className != null) {
            classes.computeIfAbsent(className, n -> new Tally()).add(writtenImages, rejectedImages, shardRows);
        }
    }

    public Tally overall() {
        return overall;
    }

    public Tally split(Split split) {
        return splits.get(split.key());
    }

    public Tally ofClass(String className) {
        return classes.get(className);
    }

    public long ignored() {
        return ignored;
    }

    ObjectNode toJson(JsonNodeFactory json) {
        ObjectNode node = overall.toJson(json);
        node.put("ignored", ignored);
        ObjectNode perSplit = node.putObject("splits");
        splits.forEach((name, tally) -> perSplit.set(name, tally.toJson(json)));
        ObjectNode perClass = node.putObject("classes");
        classes.forEach((name, tally) -> perClass.set(name, tally.toJson(json)));
        return node;
    }
}
