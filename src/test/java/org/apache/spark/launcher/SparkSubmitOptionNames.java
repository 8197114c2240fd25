package org.apache.spark.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * spark-submit's option names, read from Spark's own parser (SparkSubmitOptionParser is
 * package-private, hence this class's package): the tests check the launchers' lists against
 * them, so a Spark upgrade that adds an option fails a test instead of swallowing it.
 */
public final class SparkSubmitOptionNames {
    private SparkSubmitOptionNames() {
    }

    /** Every name (aliases included) of the options that take a value. */
    public static List<String> withValue() {
        return flatten(new SparkSubmitOptionParser().opts);
    }

    /** Every name (aliases included) of the switches, which take none. */
    public static List<String> switches() {
        return flatten(new SparkSubmitOptionParser().switches);
    }

    private static List<String> flatten(String[][] groups) {
        List<String> names = new ArrayList<>();
        for (String[] group : groups) {
            names.addAll(List.of(group));
        }
        return names;
    }
}
