package tasn.config;

import com.typesafe.config.Config;

import java.util.List;
import java.util.Locale;

/**
 * Typed reads from a resolved {@link Config} in which every failure names the key, the value
 * found and what is allowed. The single place where raw configuration becomes typed values.
 */
final class ConfigReader {
    private final Config config;

    ConfigReader(Config config) {
        this.config = config;
    }

    Config config() {
        return config;
    }

    String string(String key) {
        try {
            return config.getString(key);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrong(key, "a string", e);
        }
    }

    String oneOf(String key, List<String> allowed) {
        String value = string(key).toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw new ConfigException(key + " = " + string(key) + ": must be one of " + String.join(", ", allowed));
        }
        return value;
    }

    boolean bool(String key) {
        try {
            return config.getBoolean(key);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrong(key, "true or false", e);
        }
    }

    int intIn(String key, int min, int max) {
        int value;
        try {
            value = config.getInt(key);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrong(key, "an integer", e);
        }
        if (value < min || value > max) {
            throw new ConfigException(key + " = " + value + ": must be between " + min + " and " + max);
        }
        return value;
    }

    long longIn(String key, long min, long max) {
        long value;
        try {
            value = config.getLong(key);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrong(key, "an integer", e);
        }
        if (value < min || value > max) {
            throw new ConfigException(key + " = " + value + ": must be between " + min + " and " + max);
        }
        return value;
    }

    double doubleIn(String key, double min, double max) {
        double value;
        try {
            value = config.getDouble(key);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrong(key, "a number", e);
        }
        if (!(value >= min && value <= max)) {
            throw new ConfigException(key + " = " + value + ": must be between " + min + " and " + max);
        }
        return value;
    }

    int[] intList(String key, int length, int min, int max) {
        List<Integer> values;
        try {
            values = config.getIntList(key);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrong(key, "a list of integers, like [1, 1, 2, 1]", e);
        }
        if (length > 0 && values.size() != length) {
            throw new ConfigException(key + " = " + values + ": must have exactly " + length + " entries");
        }
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            int v = values.get(i);
            if (v < min || v > max) {
                throw new ConfigException(key + " = " + values + ": every entry must be between " + min + " and " + max);
            }
            out[i] = v;
        }
        return out;
    }

    private static ConfigException wrong(String key, String expected, com.typesafe.config.ConfigException e) {
        if (e instanceof com.typesafe.config.ConfigException.Missing) {
            return new ConfigException(key + ": missing; it must be " + expected, e);
        }
        return new ConfigException(key + ": must be " + expected + " (" + e.getMessage() + ")", e);
    }
}
