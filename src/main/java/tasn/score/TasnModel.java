package tasn.score;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import tasn.config.ConfigLoader;
import tasn.data.ImageId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The score job's scoring as a Spark ML {@link Transformer}, to stand in a Pipeline: it adds
 * the prediction columns of {@link PredictionSchema} ({@code prediction}, {@code prediction_name},
 * {@code probability}, {@code top_labels}, {@code top_probabilities}, {@code true_rank} (always
 * null here: no labels are read), {@code head}, {@code error}, {@code error_detail}) to a
 * DataFrame of image files.
 *
 * <p>Input: the column {@link #inputCol} (default {@code content}) holds each image file's
 * bytes, as {@code spark.read().format("binaryFile")} gives them; the optional string column
 * {@link #pathCol} (default {@code path}) names the file in error messages. Each file is
 * decoded and given the evaluation view exactly as the score job does ({@link ImageScorer}),
 * so the two give the same predictions (Spark's file sources skip zero-length files, so an
 * empty file that the job reports as {@code empty-file} has no row here). The model at {@link #modelPath} (any Hadoop file
 * system) is loaded once per executor JVM.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load("hdfs:///photos");
 * Dataset<Row> scored = new TasnModel().setModelPath("hdfs:///runs/cub/model.zip").setHead("master").transform(images);
 * }</pre>
 */
public final class TasnModel extends Transformer {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelPath;
    private final Param<String> inputCol;
    private final Param<String> pathCol;
    private final Param<String> head;
    private final IntParam topK;
    private final IntParam batchSize;

    public TasnModel() {
        this(Identifiable.randomUID("tasnModel"));
    }

    public TasnModel(String uid) {
        this.uid = uid;
        modelPath = new Param<>(this, "modelPath", "the model.zip to score with (any Hadoop file system)");
        inputCol = new Param<>(this, "inputCol", "binary column holding each image file's bytes");
        pathCol = new Param<>(this, "pathCol", "optional string column naming each file");
        head = new Param<>(this, "head", "the head that predicts: " + String.join(", ", ScoreJob.HEADS),
                ParamValidators.inArray(ScoreJob.HEADS.toArray(String[]::new)));
        topK = new IntParam(this, "topK", "classes listed per image", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "images per forward pass", ParamValidators.gtEq(1));
        setDefault(inputCol, "content");
        setDefault(pathCol, "path");
        setDefault(head, "master");
        setDefault(topK, 5);
        setDefault(batchSize, 16);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> modelPath() {
        return modelPath;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> pathCol() {
        return pathCol;
    }

    public Param<String> head() {
        return head;
    }

    public IntParam topK() {
        return topK;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public TasnModel setModelPath(String value) {
        set(modelPath, value);
        return this;
    }

    public TasnModel setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    public TasnModel setPathCol(String value) {
        set(pathCol, value);
        return this;
    }

    public TasnModel setHead(String value) {
        set(head, value);
        return this;
    }

    public TasnModel setTopK(int value) {
        set(topK, value);
        return this;
    }

    public TasnModel setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String input = getOrDefault(inputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(input) || !(schema.apply(input).dataType() instanceof BinaryType)) {
            throw new IllegalArgumentException("TasnModel: input column '" + input + "' must exist and be binary (image "
                    + "file bytes, as spark.read().format(\"binaryFile\") gives in 'content'); the schema is " + schema.simpleString());
        }
        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        for (StructField f : PredictionSchema.PREDICTION_FIELDS) {
            if (Arrays.asList(schema.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException("TasnModel: the input already has a column '" + f.name() + "'");
            }
            fields.add(f);
        }
        return new StructType(fields.toArray(StructField[]::new));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        if (!isDefined(modelPath)) {
            throw new IllegalArgumentException("TasnModel: set modelPath to the model.zip to score with");
        }
        StructType in = dataset.schema();
        StructType out = transformSchema(in);
        SparkSession spark = dataset.sparkSession();
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        long maxPixels = ConfigLoader.load(null, List.of()).data().maxPixels();
        ModelArchive.Reference reference = ModelArchive.locate(getOrDefault(modelPath), hadoop, null);
        String headName = getOrDefault(head);
        ImageScorer scorer = new ImageScorer(new ImageScorer.Settings(reference, headName, (Integer) getOrDefault(topK),
                (Integer) getOrDefault(batchSize), maxPixels), hadoop);
        int contentIndex = in.fieldIndex(getOrDefault(inputCol));
        String path = getOrDefault(pathCol);
        int pathIndex = Arrays.asList(in.fieldNames()).contains(path) && in.apply(path).dataType() instanceof StringType
                ? in.fieldIndex(path) : -1;
        int batch = (Integer) getOrDefault(batchSize);
        JavaRDD<Row> rows = dataset.toDF().javaRDD().mapPartitions(part -> scorePartition(part, scorer, contentIndex,
                pathIndex, batch, headName));
        return spark.createDataFrame(rows, out);
    }

    private static Iterator<Row> scorePartition(Iterator<Row> rows, ImageScorer scorer, int contentIndex, int pathIndex,
                                                int batchSize, String head) {
        return new Iterator<>() {
            private Iterator<Row> batch = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!batch.hasNext() && rows.hasNext()) {
                    List<Row> inputs = new ArrayList<>();
                    List<ScoreItem> items = new ArrayList<>();
                    while (rows.hasNext() && inputs.size() < batchSize) {
                        Row r = rows.next();
                        String p = pathIndex >= 0 ? r.getString(pathIndex) : null;
                        byte[] content = r.isNullAt(contentIndex) ? new byte[0] : (byte[]) r.get(contentIndex);
                        inputs.add(r);
                        items.add(ScoreItem.fileBytes(p == null ? ImageId.of("row-" + inputs.size()) : ImageId.of(p),
                                p == null ? "row" : p, content));
                    }
                    List<ImageScorer.Scored> scored = scorer.scoreBatch(items);
                    List<Row> out = new ArrayList<>(inputs.size());
                    for (int i = 0; i < inputs.size(); i++) {
                        Row r = inputs.get(i);
                        Object[] prediction = PredictionSchema.predictionValues(scored.get(i).result(), head);
                        Object[] values = new Object[r.length() + prediction.length];
                        for (int c = 0; c < r.length(); c++) {
                            values[c] = r.get(c);
                        }
                        System.arraycopy(prediction, 0, values, r.length(), prediction.length);
                        out.add(RowFactory.create(values));
                    }
                    batch = out.iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.next();
            }
        };
    }

    @Override
    public TasnModel copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
