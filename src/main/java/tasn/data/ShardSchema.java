package tasn.data;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet shard schema ingest writes and the train, score and sample jobs read: one row
 * per (image, copy) in {@code OUT/<split>/part-*.parquet}.
 *
 * <ul>
 *   <li>{@code id}: the stable image id ({@link ImageId}: 16 hex digits of SHA-256 of the path
 *       relative to the input root);</li>
 *   <li>{@code path}: the source file, fully qualified;</li>
 *   <li>{@code label}: the class index into dataset.json's {@code classes}; {@code label_name} its name;</li>
 *   <li>{@code split}: train, val or test;</li>
 *   <li>{@code copy}: 0 .. data.copies-1 for train rows (each a seeded augmented view), 0 for
 *       val and test (the one evaluation view);</li>
 *   <li>{@code height}, {@code width}, {@code channels}: the view's size (raw-size, raw-size, 3);</li>
 *   <li>{@code pixels}: the view, encoded as {@code encoding} says (see {@link PixelCodec});</li>
 *   <li>{@code encoding}: raw, jpeg or png.</li>
 * </ul>
 * Change the columns or their meaning only with a new {@link #SCHEMA_VERSION}; dataset.json
 * records the version a data set was written with.
 */
public final class ShardSchema {
    /** Version of this schema, written to dataset.json as {@code schema_version}. */
    public static final int SCHEMA_VERSION = 1;

    public static final String ID = "id";
    public static final String PATH = "path";
    public static final String LABEL = "label";
    public static final String LABEL_NAME = "label_name";
    public static final String SPLIT = "split";
    public static final String COPY = "copy";
    public static final String HEIGHT = "height";
    public static final String WIDTH = "width";
    public static final String CHANNELS = "channels";
    public static final String PIXELS = "pixels";
    public static final String ENCODING = "encoding";

    /** The shard columns, in file order. */
    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField(ID, DataTypes.StringType, false),
            DataTypes.createStructField(PATH, DataTypes.StringType, false),
            DataTypes.createStructField(LABEL, DataTypes.IntegerType, false),
            DataTypes.createStructField(LABEL_NAME, DataTypes.StringType, false),
            DataTypes.createStructField(SPLIT, DataTypes.StringType, false),
            DataTypes.createStructField(COPY, DataTypes.IntegerType, false),
            DataTypes.createStructField(HEIGHT, DataTypes.IntegerType, false),
            DataTypes.createStructField(WIDTH, DataTypes.IntegerType, false),
            DataTypes.createStructField(CHANNELS, DataTypes.IntegerType, false),
            DataTypes.createStructField(PIXELS, DataTypes.BinaryType, false),
            DataTypes.createStructField(ENCODING, DataTypes.StringType, false),
    });

    /** The column names, in file order. */
    public static String[] columns() {
        return SCHEMA.fieldNames();
    }

    private ShardSchema() {
    }
}
