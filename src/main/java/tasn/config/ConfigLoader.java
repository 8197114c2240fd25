package tasn.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;

import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads a configuration in layers: the defaults of {@code tasn/config/reference.conf}, then a
 * built-in preset ({@code tiny}, {@code cpu}, {@code paper}) or a HOCON file, then each
 * {@code --set key=value}. A key the defaults do not declare is an error naming it.
 */
public final class ConfigLoader {
    /** The built-in configuration names, shipped as resources beside reference.conf. */
    public static final List<String> PRESETS = List.of("tiny", "cpu", "paper");

    private ConfigLoader() {
    }

    /** The declared defaults: every key a job may read. */
    public static Config reference() {
        URL url = ConfigLoader.class.getResource("reference.conf");
        if (url == null) {
            throw new IllegalStateException("tasn/config/reference.conf is missing from the classpath");
        }
        return ConfigFactory.parseURL(url, ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /**
     * Resolves {@code source} (a preset name, a file path, or null for the defaults) and the
     * overrides into a validated {@link TasnConfig}.
     */
    public static TasnConfig load(String source, List<String> overrides) {
        Config reference = reference();
        Config layered = reference;
        if (source != null && !source.isBlank()) {
            Config preset = parseSource(source);
            checkKnownKeys(preset, reference, "--config " + source);
            layered = preset.withFallback(layered);
        }
        for (String override : overrides == null ? List.<String>of() : overrides) {
            Config one = parseOverride(override);
            checkKnownKeys(one, reference, "--set " + override);
            layered = one.withFallback(layered);
        }
        return TasnConfig.from(layered.resolve());
    }

    /** Parses a config previously written by {@link #render}, for example from a saved model. */
    public static TasnConfig fromRendered(String hocon) {
        Config parsed = ConfigFactory.parseString(hocon);
        Config reference = reference();
        checkKnownKeys(parsed, reference, "saved configuration");
        return TasnConfig.from(parsed.withFallback(reference).resolve());
    }

    /** The resolved configuration as commented-free HOCON that {@link #fromRendered} reads back. */
    public static String render(Config config) {
        return config.root().render(ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(false).setJson(false).setFormatted(true));
    }

    private static Config parseSource(String source) {
        if (PRESETS.contains(source)) {
            URL url = ConfigLoader.class.getResource(source + ".conf");
            if (url == null) {
                throw new IllegalStateException("built-in configuration " + source + " is missing");
            }
            return ConfigFactory.parseURL(url);
        }
        File file = new File(source);
        if (!file.isFile()) {
            throw new ConfigException("--config " + source + ": no such file, and not a built-in name ("
                    + String.join(", ", PRESETS) + "); give a HOCON file path or one of those names");
        }
        try {
            return ConfigFactory.parseFile(file, ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("--config " + source + ": cannot parse it: " + e.getMessage(), e);
        }
    }

    private static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set " + override + ": expected key=value, for example --set data.copies=2");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        try {
            return ConfigFactory.parseString(key + " = " + value);
        } catch (com.typesafe.config.ConfigException e) {
            // Not HOCON (say, a path with a colon): take the value as a plain string.
            try {
                return ConfigFactory.parseMap(Map.of(key, value), "--set " + key);
            } catch (com.typesafe.config.ConfigException again) {
                throw new ConfigException("--set " + override + ": cannot parse it: " + again.getMessage(), again);
            }
        }
    }

    private static void checkKnownKeys(Config candidate, Config reference, String where) {
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> entry : candidate.entrySet()) {
            String path = entry.getKey();
            if (!reference.hasPathOrNull(path) && !underFreeFormObject(path, reference)) {
                unknown.add(path);
            }
        }
        if (!unknown.isEmpty()) {
            List<String> hints = new ArrayList<>();
            for (String key : unknown) {
                hints.add(key + nearest(key, reference));
            }
            throw new ConfigException(where + ": unknown configuration key " + String.join(", ", hints)
                    + "; every key is declared with its default in tasn/config/reference.conf");
        }
    }

    /** A key under an object the reference declares empty ({@code {}}) is free-form. */
    private static boolean underFreeFormObject(String path, Config reference) {
        String parent = path;
        while (parent.contains(".")) {
            parent = parent.substring(0, parent.lastIndexOf('.'));
            if (reference.hasPath(parent) && reference.getValue(parent) instanceof com.typesafe.config.ConfigObject obj
                    && obj.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static String nearest(String key, Config reference) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Map.Entry<String, ConfigValue> entry : reference.entrySet()) {
            int d = editDistance(key, entry.getKey());
            if (d < bestDistance) {
                bestDistance = d;
                best = entry.getKey();
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? " (did you mean " + best + "?)" : "";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
