package tasn.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import tasn.config.TasnConfig;
import tasn.config.UsageException;
import tasn.data.ImageExtensions;
import tasn.data.ImageId;
import tasn.data.ImageListing;
import tasn.data.ListedImage;
import tasn.data.ShardSchema;
import tasn.data.Split;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * The images of {@code --input} as {@link ScoreItem}s, with true labels translated to the
 * model's class indices by class name.
 *
 * <ul>
 *   <li>imagefolder, cub, list: listed by the ingest job's {@link ImageListing} (the same code
 *       path, so the same files and class names); every split is scored; files the listing
 *       rejects become rows with that reason.</li>
 *   <li>shards: an ingest output's {@code val} and {@code test} rows (copy 0, the deterministic
 *       evaluation views). Train rows are augmented views, not the images themselves, so they
 *       are not scored. dataset.json's classes must be the model's, and its raw size the model's.</li>
 *   <li>unlabeled: every image file under the folder, recursively; no labels.</li>
 * </ul>
 */
public final class ScoreInputs {
    private ScoreInputs() {
    }

    /** The items to score and whether any has a known label. */
    public record Items(JavaRDD<ScoreItem> rdd, long count) {
    }

    public static Items read(SparkSession spark, String input, ScoreLayout layout, ModelArchive model, TasnConfig config) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (layout == ScoreLayout.SHARDS) {
            return shards(spark, input, model, hadoop);
        }
        List<ScoreItem> items = layout == ScoreLayout.UNLABELED
                ? unlabeled(input, hadoop)
                : listed(ImageListing.list(input, layout.ingestLayout(), hadoop, config.data(), config.seed()), model, input);
        if (items.isEmpty()) {
            throw new UsageException("--input " + input + ": found no image files in the " + layout.key() + " layout");
        }
        int partitions = Math.max(1, Math.min(items.size(), jsc.defaultParallelism() * 4));
        return new Items(jsc.parallelize(items, partitions), items.size());
    }

    private static List<ScoreItem> listed(ImageListing listing, ModelArchive model, String input) {
        Map<String, Integer> modelIndex = new HashMap<>();
        for (int k = 0; k < model.classes().size(); k++) {
            modelIndex.put(model.classes().get(k), k);
        }
        for (String name : listing.classes()) {
            if (!modelIndex.containsKey(name)) {
                throw new UsageException("--input " + input + ": class '" + name + "' is not one of the model's "
                        + model.numClasses() + " classes (" + preview(model.classes()) + "); score images of the classes "
                        + "the model was trained on, or use --layout unlabeled");
            }
        }
        List<ScoreItem> items = new ArrayList<>();
        for (ListedImage image : listing.images()) {
            int label = image.labelName() == null ? -1 : modelIndex.get(image.labelName());
            items.add(ScoreItem.listed(image.id(), image.path(), image.labelName(), label, image.rejectReason()));
        }
        return items;
    }

    private static List<ScoreItem> unlabeled(String input, Configuration hadoop) {
        try {
            Path path = new Path(input);
            FileSystem fs = path.getFileSystem(hadoop);
            FileStatus root = fs.getFileStatus(fs.makeQualified(path));
            if (!root.isDirectory()) {
                throw new UsageException("--input " + input + ": is a file; --layout unlabeled takes a folder of images");
            }
            String prefix = root.getPath().toUri().getPath();
            prefix = prefix.endsWith("/") ? prefix : prefix + "/";
            List<ScoreItem> items = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(root.getPath(), true);
            while (files.hasNext()) {
                Path file = files.next().getPath();
                if (ImageExtensions.isImage(file.getName())) {
                    String relative = file.toUri().getPath().substring(prefix.length());
                    items.add(ScoreItem.listed(ImageId.of(relative), file.toString(), null, -1, null));
                }
            }
            items.sort(java.util.Comparator.comparing(ScoreItem::path));
            return items;
        } catch (FileNotFoundException e) {
            throw new UsageException("--input " + input + ": no such folder");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list --input " + input + ": " + e.getMessage(), e);
        }
    }

    private static Items shards(SparkSession spark, String input, ModelArchive model, Configuration hadoop) {
        Path root = new Path(input);
        List<String> splits = new ArrayList<>();
        JsonNode dataset;
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            Path json = new Path(root, "dataset.json");
            if (!fs.exists(json)) {
                throw new UsageException("--input " + input + ": no dataset.json; --layout shards takes the --output folder "
                        + "of a finished jobs/ingest.sh run");
            }
            try (InputStream in = fs.open(json)) {
                dataset = new ObjectMapper().readTree(in);
            }
            for (Split split : List.of(Split.VAL, Split.TEST)) {
                Path dir = new Path(root, split.key());
                if (fs.exists(dir) && fs.listStatus(dir, p -> p.getName().endsWith(".parquet")).length > 0) {
                    splits.add(dir.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --input " + input + ": " + e.getMessage(), e);
        }
        List<String> classes = new ArrayList<>();
        dataset.path("classes").forEach(n -> classes.add(n.asText()));
        if (!classes.equals(model.classes())) {
            throw new UsageException("--input " + input + ": dataset.json has " + classes.size() + " classes ("
                    + preview(classes) + "), the model " + model.numClasses() + " (" + preview(model.classes())
                    + "); score a data set with the classes the model was trained on");
        }
        int rawSize = dataset.path("raw_size").asInt(-1);
        if (rawSize != model.inputSize()) {
            throw new UsageException("--input " + input + ": its views are " + rawSize + " x " + rawSize + " pixels, the model "
                    + "takes " + model.inputSize() + " x " + model.inputSize() + "; ingest again with --set data.raw-size="
                    + model.inputSize() + " or score the raw images");
        }
        if (splits.isEmpty()) {
            throw new UsageException("--input " + input + ": has no val or test shards to score (train rows are augmented "
                    + "views); ingest with data.val-fraction > 0 or with a test split");
        }
        Dataset<Row> rows = spark.read().parquet(splits.toArray(String[]::new))
                .where(col(ShardSchema.COPY).equalTo(0))
                .select(ShardSchema.ID, ShardSchema.PATH, ShardSchema.LABEL_NAME, ShardSchema.LABEL,
                        ShardSchema.PIXELS, ShardSchema.ENCODING, ShardSchema.HEIGHT, ShardSchema.WIDTH);
        JavaRDD<ScoreItem> rdd = rows.javaRDD().map(r -> new ScoreItem(r.getString(0), r.getString(1), r.getString(2),
                r.getInt(3), null, (byte[]) r.get(4), r.getString(5), r.getInt(6), r.getInt(7)));
        return new Items(rdd, -1);
    }

    private static String preview(List<String> names) {
        List<String> first = names.subList(0, Math.min(5, names.size()));
        return String.join(", ", first) + (names.size() > 5 ? ", ..." : "");
    }
}
