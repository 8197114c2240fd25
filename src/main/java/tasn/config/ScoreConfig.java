package tasn.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.io.Serializable;
import java.util.List;

/**
 * The {@code score} section, read by the score and sample jobs: images per forward pass and
 * an optional channel mean that replaces the one stored in the model. Keys, defaults and
 * meanings: {@code tasn/config/reference.conf}.
 *
 * @param channelMean three values (R, G, B, 0-255), or null to use the model's own
 */
public record ScoreConfig(int batchSize, float[] channelMean) implements Serializable {

    /** The section of a loaded configuration (read from its rendered, already validated form). */
    public static ScoreConfig of(TasnConfig config) {
        Config resolved = ConfigFactory.parseString(config.render()).withFallback(ConfigLoader.reference()).resolve();
        int batchSize = new ConfigReader(resolved).intIn("score.batch-size", 1, 4096);
        List<Double> mean;
        try {
            mean = resolved.getDoubleList("score.channel-mean");
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("score.channel-mean: expected a list of three numbers like [123.7, 116.8, 103.9], "
                    + "or []: " + e.getMessage(), e);
        }
        if (mean.size() != 0 && mean.size() != 3) {
            throw new ConfigException("score.channel-mean: give three values (R, G, B on the 0-255 scale), "
                    + "or [] for the mean stored in the model; got " + mean.size());
        }
        float[] channelMean = null;
        if (mean.size() == 3) {
            channelMean = new float[]{mean.get(0).floatValue(), mean.get(1).floatValue(), mean.get(2).floatValue()};
        }
        return new ScoreConfig(batchSize, channelMean);
    }
}
