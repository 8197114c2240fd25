package tasn.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session a subcommand runs in. Under spark-submit the master and resources come
 * from its configuration; run in a JVM of its own (a test, an IDE) it falls back to
 * {@code local[*]}. A live session that already exists (a test's, a notebook's) is used and
 * left running; one this class creates is stopped on {@link #close()}. A session stopped by
 * earlier work in the JVM can still be the active one: only a live one is reused.
 */
final class JobSession implements AutoCloseable {
    private final SparkSession spark;
    private final boolean own;

    private JobSession(SparkSession spark, boolean own) {
        this.spark = spark;
        this.own = own;
    }

    /** Opens the session for {@code appName}, with {@code conf}'s settings when it creates one. */
    static JobSession open(String appName, SparkConf conf) {
        boolean own = !live(SparkSession.getActiveSession()) && !live(SparkSession.getDefaultSession());
        if (own) {
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
            conf.setIfMissing("spark.app.name", appName);
            if (!conf.contains("spark.master")) {
                conf.setMaster("local[*]");
            }
        }
        return new JobSession(SparkSession.builder().config(conf).getOrCreate(), own);
    }

    static JobSession open(String appName) {
        return open(appName, new SparkConf());
    }

    SparkSession spark() {
        return spark;
    }

    @Override
    public void close() {
        if (own) {
            spark.stop();
        }
    }

    private static boolean live(scala.Option<SparkSession> session) {
        return session.isDefined() && !session.get().sparkContext().isStopped();
    }
}
