package tasn.data;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tasn.config.DataConfig;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * What the executors do with a partition of {@link ListedImage}s: read each file's bytes from
 * its Hadoop file system, decode it once, make its views (data.copies seeded training views
 * for a train image, one evaluation view for val and test), encode them, and produce rows of
 * {@link #SCHEMA}: the shard columns plus {@code reject_reason} (null for a good row) and the
 * per-channel sums the dataset statistics need. A file that cannot be used becomes one row
 * with its reject reason; nothing here throws for bad input. Rows are produced lazily, one
 * image at a time, in the partition's order.
 */
public final class IngestRows implements FlatMapFunction<Iterator<ListedImage>, Row> {
    private static final Logger LOG = LoggerFactory.getLogger(IngestRows.class);

    public static final String REJECT_REASON = "reject_reason";
    /** Per-row sums of the view's R, G, B values and of their squares (0-255 scale). */
    public static final String[] CHANNEL_SUMS = {"sum_r", "sum_g", "sum_b", "sumsq_r", "sumsq_g", "sumsq_b"};

    /** The shard columns (nullable, since a reject row has no pixels), the reject reason, the channel sums. */
    public static final StructType SCHEMA = schema();

    private final DataConfig data;
    private final long seed;
    private final SerializableConfiguration hadoop;
    private final ImageDecoder decoder;
    private final LongAccumulator listed;
    private final LongAccumulator written;
    private final LongAccumulator rejected;

    public IngestRows(DataConfig data, long seed, SerializableConfiguration hadoop,
                      LongAccumulator listed, LongAccumulator written, LongAccumulator rejected) {
        this.data = data;
        this.seed = seed;
        this.hadoop = hadoop;
        this.decoder = new ImageDecoder(data.maxPixels());
        this.listed = listed;
        this.written = written;
        this.rejected = rejected;
    }

    @Override
    public Iterator<Row> call(Iterator<ListedImage> images) {
        return new Iterator<>() {
            private Iterator<Row> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && images.hasNext()) {
                    current = rows(images.next()).iterator();
                }
                return current.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** The rows of one listed image: its views, or one reject row. */
    List<Row> rows(ListedImage image) {
        listed.add(1);
        if (image.rejectReason() != null) {
            return reject(image, image.rejectReason());
        }
        byte[] bytes;
        try {
            bytes = read(image.path());
        } catch (FileNotFoundException e) {
            return reject(image, "missing-file");
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", image.path(), e.toString());
            return reject(image, "read-failed");
        }
        if (bytes == null) {
            return reject(image, "file-too-large");
        }
        RgbImage decoded;
        try {
            decoded = decoder.decode(bytes, new Path(image.path()).getName());
        } catch (ImageRejected e) {
            return reject(image, e.reason());
        } catch (RuntimeException e) {
            LOG.warn("decoding {} failed: {}", image.path(), e.toString());
            return reject(image, "decode-failed");
        }
        try {
            List<Row> rows = new ArrayList<>();
            if (image.split() == Split.TRAIN) {
                for (int copy = 0; copy < data.copies(); copy++) {
                    rows.add(row(image, copy, ImageViews.trainView(decoded, data, seed, image.id(), copy)));
                }
            } else {
                rows.add(row(image, 0, ImageViews.evalView(decoded, data.rawSize())));
            }
            written.add(1);
            return rows;
        } catch (RuntimeException e) {
            LOG.warn("making the views of {} failed: {}", image.path(), e.toString());
            return reject(image, "view-failed");
        }
    }

    /** The file's bytes, or null when it is too large for one array. */
    private byte[] read(String pathString) throws IOException {
        Path path = new Path(pathString);
        FileSystem fs = path.getFileSystem(hadoop.value());
        FileStatus status = fs.getFileStatus(path);
        if (status.isDirectory()) {
            throw new FileNotFoundException(pathString + " is a directory");
        }
        if (status.getLen() > Integer.MAX_VALUE - 16) {
            return null;
        }
        try (FSDataInputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    private Row row(ListedImage image, int copy, RgbImage view) {
        long[] sums = new long[6];
        byte[] px = view.pixels();
        for (int i = 0; i < px.length; i += 3) {
            for (int c = 0; c < 3; c++) {
                long v = px[i + c] & 0xff;
                sums[c] += v;
                sums[3 + c] += v * v;
            }
        }
        byte[] encoded = PixelCodec.encode(view, data.encoding(), data.jpegQuality());
        return RowFactory.create(image.id(), image.path(), image.label(), image.labelName(), image.split().key(),
                copy, view.height(), view.width(), 3, encoded, data.encoding().key(), null,
                sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]);
    }

    private List<Row> reject(ListedImage image, String reason) {
        rejected.add(1);
        return List.of(RowFactory.create(image.id(), image.path(), image.label(), image.labelName(), image.split().key(),
                0, null, null, null, null, null, reason, 0L, 0L, 0L, 0L, 0L, 0L));
    }

    private static StructType schema() {
        List<StructField> fields = new ArrayList<>();
        for (StructField f : ShardSchema.SCHEMA.fields()) {
            fields.add(DataTypes.createStructField(f.name(), f.dataType(), true));
        }
        fields.add(DataTypes.createStructField(REJECT_REASON, DataTypes.StringType, true));
        for (String sum : CHANNEL_SUMS) {
            fields.add(DataTypes.createStructField(sum, DataTypes.LongType, false));
        }
        return new StructType(fields.toArray(StructField[]::new));
    }
}
