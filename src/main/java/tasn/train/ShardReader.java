package tasn.train;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import tasn.config.UsageException;
import tasn.data.ShardSchema;

import java.io.IOException;
import java.util.List;

/**
 * Reads one split of the ingest job's Parquet shards ({@code DATA/train}, {@code val},
 * {@code test}; the columns of {@link ShardSchema}) as {@link ShardExample}s.
 */
public final class ShardReader {
    /** Columns read, by their names in tasn.data.ShardSchema. */
    static final List<String> COLUMNS = List.of(ShardSchema.ID, ShardSchema.LABEL, ShardSchema.COPY, ShardSchema.HEIGHT,
            ShardSchema.WIDTH, ShardSchema.ENCODING, ShardSchema.PIXELS);

    private final SparkSession spark;
    private final Path dataDir;

    public ShardReader(SparkSession spark, Path dataDir) {
        this.spark = spark;
        this.dataDir = dataDir;
    }

    /** True when the split's directory exists and holds at least one Parquet file. */
    public boolean has(String split) {
        Path dir = new Path(dataDir, split);
        try {
            FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.isDirectory(dir)) {
                return false;
            }
            return fs.listStatus(dir, p -> p.getName().endsWith(".parquet")).length > 0;
        } catch (IOException e) {
            throw new UsageException("--data " + dataDir + ": cannot list " + dir + ": " + e.getMessage());
        }
    }

    public JavaRDD<ShardExample> read(String split) {
        String dir = new Path(dataDir, split).toString();
        org.apache.spark.sql.Dataset<Row> frame = spark.read().parquet(dir);
        for (String column : COLUMNS) {
            if (!List.of(frame.columns()).contains(column)) {
                throw new UsageException(dir + ": shards have no column '" + column + "'; re-run jobs/ingest.sh with this "
                        + "version of tasn-spark");
            }
        }
        return frame.select(COLUMNS.get(0), COLUMNS.subList(1, COLUMNS.size()).toArray(new String[0]))
                .javaRDD()
                .map(row -> new ShardExample(row.getString(0), row.getInt(1), row.getInt(2), row.getInt(3),
                        row.getInt(4), row.getString(5), (byte[]) row.get(6)));
    }
}
