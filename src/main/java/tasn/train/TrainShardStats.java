package tasn.train;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import tasn.config.UsageException;

/**
 * One pass over a split's shards before training: how many images it holds, how many
 * augmentation copies each has, and whether every label is inside dataset.json's class list.
 */
record TrainShardStats(long rows, long images, int copies) {

    static TrainShardStats of(JavaRDD<ShardExample> rows, int numClasses, String split, Path dataDir) {
        // rows, images (copy 0), largest copy, labels outside the class list, one such label
        long[] totals = rows.map(e -> new long[]{1, e.copy() == 0 ? 1 : 0, e.copy(),
                        e.label() < 0 || e.label() >= numClasses ? 1 : 0, e.label()})
                .fold(new long[]{0, 0, 0, 0, 0}, (a, b) -> new long[]{a[0] + b[0], a[1] + b[1], Math.max(a[2], b[2]),
                        a[3] + b[3], a[3] > 0 ? a[4] : b[3] > 0 ? b[4] : 0});
        Path dir = new Path(dataDir, split);
        if (totals[3] > 0) {
            throw new UsageException(dir + ": " + totals[3] + " rows have a label outside the " + numClasses
                    + " classes of dataset.json (for example " + totals[4] + "); the shards and dataset.json do not "
                    + "belong together: re-run jobs/ingest.sh");
        }
        if (totals[1] == 0) {
            throw new UsageException(dir + ": holds no images; re-run jobs/ingest.sh on an input with " + split + " images");
        }
        return new TrainShardStats(totals[0], totals[1], (int) totals[2] + 1);
    }
}
