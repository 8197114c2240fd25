package tasn.train;

import org.apache.spark.SparkConf;

/**
 * The Spark settings the train job needs: Kryo with ND4J's registrator (INDArrays and
 * MultiDataSets cross the network in every averaging round) and ours (Java records), and
 * task retries, so that the round a lost executor was training is run again.
 */
public final class TrainingSession {
    private TrainingSession() {
    }

    public static SparkConf configure(SparkConf conf) {
        conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator,tasn.data.RecordKryoRegistrator");
        conf.setIfMissing("spark.kryoserializer.buffer.max", "1g");
        conf.setIfMissing("spark.task.maxFailures", "4");
        conf.setIfMissing("spark.app.name", "tasn train");
        return conf;
    }
}
