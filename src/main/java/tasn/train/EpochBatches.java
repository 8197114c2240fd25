package tasn.train;

import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * One epoch's training minibatches, laid out on the cluster by {@link RoundLayout}: the
 * epoch's copy of each image is chosen and shuffled reproducibly ({@link EpochRandom}), cut
 * into minibatches, and shuffled once into one Spark partition per (round, worker). Each
 * round is then handed to dl4j-spark as an RDD of exactly {@code workers} partitions, the
 * minibatches assembled ({@link BatchAssembler}) on the executors as they are trained.
 *
 * <p>The shuffle files of that one shuffle are the epoch's cache: every round reads only its
 * own partitions, and a lost executor's part is recomputed by Spark from the shards.
 */
public final class EpochBatches {
    private final JavaRDD<List<ShardExample>> batches;
    private final RoundLayout layout;
    private final BatchAssembler assembler;

    private EpochBatches(JavaRDD<List<ShardExample>> batches, RoundLayout layout, BatchAssembler assembler) {
        this.batches = batches;
        this.layout = layout;
        this.assembler = assembler;
    }

    /**
     * Lays out epoch {@code epoch} (0-based) of {@code train}, whose images each have
     * {@code copies} augmentation copies.
     */
    public static EpochBatches of(JavaRDD<ShardExample> train, int copies, long seed, int epoch, RoundLayout layout,
                                  BatchAssembler assembler) {
        long images = layout.images();
        long padded = layout.paddedExamples();
        int batchSize = layout.batchSize();
        JavaPairRDD<Long, ShardExample> ordered = train
                .filter(e -> e.copy() == EpochRandom.copyFor(seed, epoch, e.id(), copies))
                .mapToPair(e -> new Tuple2<>(EpochRandom.orderKey(seed, epoch, e.id()), e))
                .sortByKey();
        JavaPairRDD<Long, Tuple2<Long, ShardExample>> byBatch = ordered.values().zipWithIndex()
                .flatMapToPair(pair -> {
                    List<Tuple2<Long, Tuple2<Long, ShardExample>>> out = new ArrayList<>();
                    // The example's own position, then its wrap-around positions filling the last round.
                    for (long position = pair._2(); position < padded; position += images) {
                        out.add(new Tuple2<>(position / batchSize, new Tuple2<>(position, pair._1())));
                    }
                    return out.iterator();
                });
        JavaRDD<List<ShardExample>> batches = byBatch
                .groupByKey(new RoundPartitioner(layout))
                .mapPartitions(EpochBatches::sortedBatches, true);
        return new EpochBatches(batches, layout, assembler);
    }

    /** The minibatches of round {@code round}: {@code workers} partitions of {@code averagingFrequency} each. */
    public JavaRDD<MultiDataSet> round(long round) {
        int from = Math.toIntExact(round * layout.workers());
        PartitionPruningRDD<List<ShardExample>> pruned = PartitionPruningRDD.create(batches.rdd(),
                new PartitionRange(from, from + layout.workers()));
        JavaRDD<List<ShardExample>> rows = JavaRDD.fromRDD(pruned, ClassTag$.MODULE$.apply(List.class));
        BatchAssembler assembler = this.assembler;
        return rows.mapPartitions(part -> {
            List<MultiDataSet> out = new ArrayList<>();
            part.forEachRemaining(batch -> out.add(assembler.assemble(batch)));
            return out.iterator();
        }, true);
    }

    public RoundLayout layout() {
        return layout;
    }

    private static Iterator<List<ShardExample>> sortedBatches(
            Iterator<Tuple2<Long, Iterable<Tuple2<Long, ShardExample>>>> groups) {
        List<Tuple2<Long, Iterable<Tuple2<Long, ShardExample>>>> all = new ArrayList<>();
        groups.forEachRemaining(all::add);
        all.sort(Comparator.comparingLong(Tuple2::_1));
        List<List<ShardExample>> out = new ArrayList<>(all.size());
        for (Tuple2<Long, Iterable<Tuple2<Long, ShardExample>>> group : all) {
            List<Tuple2<Long, ShardExample>> members = new ArrayList<>();
            group._2().forEach(members::add);
            members.sort(Comparator.comparingLong(Tuple2::_1));
            List<ShardExample> batch = new ArrayList<>(members.size());
            members.forEach(m -> batch.add(m._2()));
            out.add(batch);
        }
        return out.iterator();
    }

    /** Sends minibatch b to partition {@link RoundLayout#partitionOf}. */
    static final class RoundPartitioner extends Partitioner {
        private final RoundLayout layout;

        RoundPartitioner(RoundLayout layout) {
            this.layout = layout;
        }

        @Override
        public int numPartitions() {
            return layout.partitions();
        }

        @Override
        public int getPartition(Object key) {
            return layout.partitionOf((Long) key);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof RoundPartitioner p && p.layout.equals(layout);
        }

        @Override
        public int hashCode() {
            return layout.hashCode();
        }
    }

    /** Keeps partitions {@code from} (inclusive) to {@code to} (exclusive). */
    static final class PartitionRange extends AbstractFunction1<Object, Object> implements Serializable {
        private final int from;
        private final int to;

        PartitionRange(int from, int to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public Object apply(Object index) {
            int i = (Integer) index;
            return i >= from && i < to;
        }
    }
}
