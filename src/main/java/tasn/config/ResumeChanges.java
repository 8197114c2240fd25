package tasn.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys in which the configuration a {@code --resume} command line resolves to differs from
 * the run's own {@code RUN_DIR/config.conf}, each with what it may do to a run in progress
 * (docs/resume.md). Both sides are resolved configurations (the defaults, the preset or file,
 * every {@code --set}), compared key by key, so the command that started a run compares equal
 * to it. Numbers compare by value ({@code 7} = {@code 7.0} = {@code "7"}), and the enumerated
 * keys, read case-insensitively, compare so too.
 *
 * <ul>
 * <li>{@link Kind#OPERATIONAL}: how the run is operated, not what it computes: checkpoints kept,
 * logging, evaluation batch, prefetching, the score section (read by other jobs), and
 * {@code model.num-classes} (the train job takes the class count from the data). The command's
 * value is taken.</li>
 * <li>{@link Kind#SCHEDULE}: {@code train.epochs} and the learning-rate schedule. The command's
 * value is taken only if every epoch already trained keeps the learning rate it ran at (and no
 * fewer epochs are asked for than are done), so the resumed run is exactly a run started with
 * the command's values; the train job checks that against the checkpoint.</li>
 * <li>{@link Kind#CONFLICT}: everything else (the seed, the data section, the model, the batch
 * layout, the optimiser, the name): it decides what the run computes or what it is, so it
 * cannot change mid-run. A key added to reference.conf is a conflict unless listed here.</li>
 * </ul>
 */
public final class ResumeChanges {
    /** What a changed key may do on {@code --resume}. */
    public enum Kind { OPERATIONAL, SCHEDULE, CONFLICT }

    /** Keys that only say how the run is operated (and every key under {@code score.}). */
    public static final Set<String> OPERATIONAL = Set.of("train.keep-checkpoints", "train.log-every-iterations",
            "train.eval-batch-size", "train.prefetch-batches", "model.num-classes");

    /** The total epochs and the keys of the learning-rate schedule ({@code tasn.train.LearningRateSchedule}). */
    public static final Set<String> SCHEDULE = Set.of("train.epochs", "train.learning-rate", "train.schedule",
            "train.step-epochs", "train.step-factor", "train.min-learning-rate", "train.warmup-fraction");

    /** Keys compared as written (every other string is an enumerated value, read case-insensitively). */
    private static final Set<String> CASE_SENSITIVE = Set.of("name");

    /** One key that differs: the run's value, the command's, and its kind. */
    public record Change(String key, String run, String command, Kind kind) {
        @Override
        public String toString() {
            return key + ": the run has " + run + ", the command gives " + command;
        }
    }

    private ResumeChanges() {
    }

    /** Every key whose value differs between the run's configuration and the command's, by key. */
    public static List<Change> between(TasnConfig run, TasnConfig command) {
        Config a = resolved(run);
        Config b = resolved(command);
        Set<String> keys = new TreeSet<>();
        a.entrySet().forEach(e -> keys.add(e.getKey()));
        b.entrySet().forEach(e -> keys.add(e.getKey()));
        List<Change> changes = new ArrayList<>();
        for (String key : keys) {
            Object x = a.hasPath(key) ? a.getValue(key).unwrapped() : null;
            Object y = b.hasPath(key) ? b.getValue(key).unwrapped() : null;
            if (!normal(key, x).equals(normal(key, y))) {
                changes.add(new Change(key, shown(a, key), shown(b, key), kind(key)));
            }
        }
        return changes;
    }

    /** What a change of {@code key} may do on resume. */
    public static Kind kind(String key) {
        if (OPERATIONAL.contains(key) || key.startsWith("score.")) {
            return Kind.OPERATIONAL;
        }
        return SCHEDULE.contains(key) ? Kind.SCHEDULE : Kind.CONFLICT;
    }

    private static Config resolved(TasnConfig config) {
        return ConfigFactory.parseString(config.render()).withFallback(ConfigLoader.reference()).resolve();
    }

    private static String shown(Config config, String key) {
        if (!config.hasPath(key)) {
            return "(not set)";
        }
        ConfigValue value = config.getValue(key);
        return String.valueOf(value.unwrapped());
    }

    /** A value in a form where equal meanings are equal objects. */
    private static Object normal(String key, Object value) {
        if (value == null) {
            return "(not set)";
        }
        if (value instanceof Number n) {
            BigDecimal d = number(n.toString());
            return d != null ? d : n;
        }
        if (value instanceof String s) {
            Object n = number(s.trim());
            if (n != null) {
                return n;
            }
            return CASE_SENSITIVE.contains(key) ? s : s.trim().toLowerCase(Locale.ROOT);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> normal(key, v)).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new java.util.TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), normal(key + "." + k, v)));
            return out;
        }
        return value;
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text).stripTrailingZeros();
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
