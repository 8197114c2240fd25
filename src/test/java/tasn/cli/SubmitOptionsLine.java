package tasn.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.apache.spark.launcher.SparkSubmitOptionNames;

/**
 * A command line carrying every spark-submit option (Spark's own list) that a launcher should
 * pass through, each with a distinct value, and the (option, value) pairs spark-submit must
 * receive: for LaunchScriptTest (jobs/*.sh) and DeploySubmitScriptsTest (deploy scripts).
 */
record SubmitOptionsLine(List<String> args, List<List<String>> expected, int valued) {

    /**
     * @param notPassed  options the launcher keeps for itself or refuses
     * @param equalsForm {@code --opt=value} instead of {@code --opt value}
     * @param properties the file given as {@code --properties-file}
     * @param between    words put after the n-th valued option (n from 1), such as a job's own options
     */
    static SubmitOptionsLine of(Predicate<String> notPassed, boolean equalsForm, Path properties,
                                IntFunction<List<String>> between) {
        List<String> args = new ArrayList<>();
        List<List<String>> expected = new ArrayList<>();
        int n = 0;
        for (String option : SparkSubmitOptionNames.withValue()) {
            if (notPassed.test(option)) {
                continue;
            }
            String value = switch (option) {
                case "--conf", "-c" -> "spark.opt" + n + "=v " + n;
                case "--properties-file" -> properties.toString();
                default -> "value " + n;
            };
            n++;
            if (equalsForm && option.startsWith("--")) {
                args.add(option + "=" + value);
            } else {
                args.addAll(List.of(option, value));
            }
            expected.add(List.of(option.equals("-c") ? "--conf" : option, value));
            args.addAll(between.apply(n));
        }
        for (String option : SparkSubmitOptionNames.switches()) {
            if (!notPassed.test(option)) {
                args.add(option);
                expected.add(List.of(option));
            }
        }
        return new SubmitOptionsLine(args, expected, n);
    }
}
