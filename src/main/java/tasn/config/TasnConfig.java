package tasn.config;

import com.typesafe.config.Config;

import java.io.Serializable;

/**
 * The whole resolved configuration of one run, typed. Built only by {@link ConfigLoader},
 * which has validated every key; {@link #render()} gives the HOCON that every job writes
 * beside its output and that a saved model carries.
 */
public record TasnConfig(String name, long seed, DataConfig data, ModelConfig model, String rendered) implements Serializable {

    static TasnConfig from(Config resolved) {
        ConfigReader r = new ConfigReader(resolved);
        String name = r.string("name");
        if (name.isBlank()) {
            throw new ConfigException("name: must not be empty");
        }
        long seed = r.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        DataConfig data = DataConfig.read(r);
        ModelConfig model = ModelConfig.read(r);
        return new TasnConfig(name, seed, data, model, ConfigLoader.render(resolved));
    }

    /** The resolved configuration as HOCON, readable again by {@link ConfigLoader#fromRendered}. */
    public String render() {
        return rendered;
    }
}
