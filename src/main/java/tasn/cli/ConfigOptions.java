package tasn.cli;

import picocli.CommandLine.Option;
import tasn.config.ConfigLoader;
import tasn.config.TasnConfig;

import java.util.ArrayList;
import java.util.List;

/** The options every job shares: {@code --config} and repeated {@code --set key=value}. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "NAME|FILE",
            description = "A built-in configuration (tiny, cpu, paper) or a HOCON file layered over the defaults.")
    String config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one configuration key, for example --set data.copies=2; repeatable.")
    List<String> overrides = new ArrayList<>();

    /** Loads, layers and validates the configuration these options name. */
    public TasnConfig load() {
        return ConfigLoader.load(config, overrides);
    }

    public TasnConfig load(List<String> extraOverrides) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(extraOverrides);
        return ConfigLoader.load(config, all);
    }
}
