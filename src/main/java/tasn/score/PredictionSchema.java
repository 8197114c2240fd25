package tasn.score;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns of OUT/predictions.parquet and OUT/predictions.csv, one row per input image:
 * <ul>
 *   <li>{@code id}, {@code path}: the image id (as ingest computes it) and the source file;</li>
 *   <li>{@code label}, {@code label_name}: the true class (model index and name), null when unknown;</li>
 *   <li>{@code prediction}, {@code prediction_name}, {@code probability}: the most probable class;</li>
 *   <li>{@code top_labels}, {@code top_probabilities}: the k most probable, most probable first
 *       (in the CSV joined with {@code |});</li>
 *   <li>{@code true_rank}: the true class's rank among all classes (1 = predicted), null when unknown;</li>
 *   <li>{@code head}: the head that predicted (master, att, part, shared_part, shared_master);</li>
 *   <li>{@code error}, {@code error_detail}: null for a scored image; otherwise the prediction
 *       columns are null and these say why (decode-failed, missing-file, truncated, ...).</li>
 * </ul>
 * The {@link TasnModel} Transformer appends the same columns from {@code prediction} on.
 */
public final class PredictionSchema {
    public static final String ID = "id";
    public static final String PATH = "path";
    public static final String LABEL = "label";
    public static final String LABEL_NAME = "label_name";
    public static final String PREDICTION = "prediction";
    public static final String PREDICTION_NAME = "prediction_name";
    public static final String PROBABILITY = "probability";
    public static final String TOP_LABELS = "top_labels";
    public static final String TOP_PROBABILITIES = "top_probabilities";
    public static final String TRUE_RANK = "true_rank";
    public static final String HEAD = "head";
    public static final String ERROR = "error";
    public static final String ERROR_DETAIL = "error_detail";

    /** The prediction columns (what the Transformer appends). */
    public static final StructField[] PREDICTION_FIELDS = {
            DataTypes.createStructField(PREDICTION, DataTypes.IntegerType, true),
            DataTypes.createStructField(PREDICTION_NAME, DataTypes.StringType, true),
            DataTypes.createStructField(PROBABILITY, DataTypes.DoubleType, true),
            DataTypes.createStructField(TOP_LABELS, DataTypes.createArrayType(DataTypes.StringType, false), true),
            DataTypes.createStructField(TOP_PROBABILITIES, DataTypes.createArrayType(DataTypes.DoubleType, false), true),
            DataTypes.createStructField(TRUE_RANK, DataTypes.IntegerType, true),
            DataTypes.createStructField(HEAD, DataTypes.StringType, false),
            DataTypes.createStructField(ERROR, DataTypes.StringType, true),
            DataTypes.createStructField(ERROR_DETAIL, DataTypes.StringType, true),
    };

    /** The job's output schema: the image columns, then the prediction columns. */
    public static final StructType SCHEMA;

    static {
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField(ID, DataTypes.StringType, false),
                DataTypes.createStructField(PATH, DataTypes.StringType, true),
                DataTypes.createStructField(LABEL, DataTypes.IntegerType, true),
                DataTypes.createStructField(LABEL_NAME, DataTypes.StringType, true)));
        fields.addAll(List.of(PREDICTION_FIELDS));
        SCHEMA = new StructType(fields.toArray(StructField[]::new));
    }

    private PredictionSchema() {
    }

    /** The prediction column values of one result, in {@link #PREDICTION_FIELDS} order. */
    static Object[] predictionValues(ScoredImage r, String head) {
        boolean scored = r.error() == null;
        return new Object[]{
                scored ? r.prediction() : null,
                scored ? r.predictionName() : null,
                scored ? r.probability() : null,
                scored ? r.topLabels().toArray(String[]::new) : null,
                scored ? doubles(r.topProbabilities()) : null,
                scored && r.trueRank() > 0 ? r.trueRank() : null,
                head,
                r.error(),
                r.errorDetail(),
        };
    }

    /** A whole output row of the job. */
    static Row row(ImageScorer.Scored s, String head) {
        ScoreItem item = s.item();
        Object[] prediction = predictionValues(s.result(), head);
        Object[] values = new Object[4 + prediction.length];
        values[0] = item.id();
        values[1] = item.path();
        values[2] = item.label() >= 0 ? item.label() : null;
        values[3] = item.labelName();
        System.arraycopy(prediction, 0, values, 4, prediction.length);
        return RowFactory.create(values);
    }

    private static Double[] doubles(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
