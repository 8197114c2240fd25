package tasn.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code model} section (TASN.md): sizes, the attention net and its head, the sampler,
 * the shared backbone and the loss. Keys, defaults and meanings: {@code tasn/config/reference.conf}.
 * {@link #toJson()} and {@link #fromJson(String)} carry it beside a saved model.
 *
 * @param inputSize  R, the raw image size: {@code data.raw-size}
 * @param seed       the run's seed: initial weights and the detail map's channel draws
 */
public record ModelConfig(
        int inputSize,
        long seed,
        int numClasses,
        int attentionSize,
        int sampledSize,
        Trunk attention,
        int headChannels,
        double trilinearScale,
        int samplerIterations,
        double samplerDense,
        double structureExponent,
        double detailExponent,
        Trunk backbone,
        Loss loss) implements Serializable {

    /** Residual block of a pre-activation ResNet trunk. */
    public enum Block { BASIC, BOTTLENECK }

    /** The first layers: {@code imagenet} (7x7/2 conv + 3x3/2 max-pool) or {@code small} (3x3/1 conv). */
    public enum Stem { IMAGENET, SMALL }

    /** A pre-activation ResNet trunk: blocks per stage, first-stage width, stage strides, stem. */
    public record Trunk(Block block, int[] layers, int width, int[] strides, Stem stem) implements Serializable {
        @Override
        public boolean equals(Object o) {
            return o instanceof Trunk t && block == t.block && Arrays.equals(layers, t.layers) && width == t.width
                    && Arrays.equals(strides, t.strides) && stem == t.stem;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * block.hashCode() + Arrays.hashCode(layers)) + Arrays.hashCode(strides) + 7 * width + stem.hashCode();
        }

        @Override
        public String toString() {
            return "Trunk[" + key(block) + ", layers=" + Arrays.toString(layers) + ", width=" + width
                    + ", strides=" + Arrays.toString(strides) + ", stem=" + key(stem) + "]";
        }

        /** The trunk's total stride: the stem's times every stage's. */
        public int totalStride() {
            int s = stem == Stem.IMAGENET ? 4 : 1;
            for (int st : strides) {
                s *= st;
            }
            return s;
        }
    }

    /** The loss (TASN.md "Master net and part net"): temperature T and one weight per term. */
    public record Loss(double temperature, double attention, double part, double master,
                       double sharedPart, double sharedMaster, double distillation) implements Serializable {
    }

    /** Reads and validates {@code model.*} (and {@code data.raw-size}, {@code seed}); errors name the key. */
    static ModelConfig read(ConfigReader r) {
        int inputSize = r.intIn("data.raw-size", 8, 4096);
        int attentionSize = r.intIn("model.attention-size", 8, 4096);
        int sampledSize = r.intIn("model.sampled-size", 8, 4096);
        Trunk attention = trunk(r, "model.attention");
        Trunk backbone = trunk(r, "model.backbone");
        if (attentionSize / attention.totalStride() < 2) {
            throw new ConfigException("model.attention-size = " + attentionSize + ": the attention trunk's stride is "
                    + attention.totalStride() + ", leaving maps smaller than 2 x 2; raise model.attention-size or "
                    + "lower model.attention.strides / use model.attention.stem = small");
        }
        if (sampledSize < backbone.totalStride()) {
            throw new ConfigException("model.sampled-size = " + sampledSize + ": smaller than the backbone's stride "
                    + backbone.totalStride() + "; raise it or lower model.backbone.strides");
        }
        Loss loss = new Loss(
                r.doubleIn("model.loss.temperature", 1e-3, 1e6),
                r.doubleIn("model.loss.weights.attention", 0, 1e3),
                r.doubleIn("model.loss.weights.part", 0, 1e3),
                r.doubleIn("model.loss.weights.master", 0, 1e3),
                r.doubleIn("model.loss.weights.shared-part", 0, 1e3),
                r.doubleIn("model.loss.weights.shared-master", 0, 1e3),
                r.doubleIn("model.loss.weights.distillation", 0, 1e3));
        return new ModelConfig(
                inputSize,
                r.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                r.intIn("model.num-classes", 2, 1_000_000),
                attentionSize,
                sampledSize,
                attention,
                r.intIn("model.attention.head-channels", 1, 65536),
                r.doubleIn("model.attention.trilinear-scale", 1e-6, 1e6),
                r.intIn("model.sampler.iterations", 0, 100),
                r.doubleIn("model.sampler.dense", 1e-6, 1e6),
                r.doubleIn("model.sampler.structure-exponent", 0.1, 32),
                r.doubleIn("model.sampler.detail-exponent", 0.1, 32),
                backbone,
                loss);
    }

    private static Trunk trunk(ConfigReader r, String prefix) {
        Block block = Block.valueOf(r.oneOf(prefix + ".block", List.of("basic", "bottleneck")).toUpperCase(Locale.ROOT));
        int[] layers = r.intList(prefix + ".layers", 0, 1, 1000);
        if (layers.length < 1 || layers.length > 8) {
            throw new ConfigException(prefix + ".layers = " + Arrays.toString(layers) + ": give 1 to 8 stages, like [2, 2, 2, 2]");
        }
        int[] strides = r.intList(prefix + ".strides", 0, 1, 4);
        if (strides.length != layers.length) {
            throw new ConfigException(prefix + ".strides = " + Arrays.toString(strides) + ": must have one entry per stage of "
                    + prefix + ".layers (" + layers.length + ")");
        }
        int width = r.intIn(prefix + ".width", 1, 4096);
        Stem stem = Stem.valueOf(r.oneOf(prefix + ".stem", List.of("imagenet", "small")).toUpperCase(Locale.ROOT));
        return new Trunk(block, layers, width, strides, stem);
    }

    /** This configuration as JSON: the keys of reference.conf that it was read from. */
    public String toJson() {
        return toConfig().root().render(ConfigRenderOptions.concise().setFormatted(true));
    }

    /** Reads {@link #toJson()} back, validated as any configuration is. */
    public static ModelConfig fromJson(String json) {
        Config parsed;
        try {
            parsed = ConfigFactory.parseString(json);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("model configuration JSON: cannot parse it: " + e.getMessage(), e);
        }
        return read(new ConfigReader(parsed.withFallback(ConfigLoader.reference()).resolve()));
    }

    /** This configuration as a Typesafe {@link Config} with the keys of reference.conf. */
    public Config toConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("data.raw-size", inputSize);
        m.put("model.num-classes", numClasses);
        m.put("model.attention-size", attentionSize);
        m.put("model.sampled-size", sampledSize);
        putTrunk(m, "model.attention", attention);
        m.put("model.attention.head-channels", headChannels);
        m.put("model.attention.trilinear-scale", trilinearScale);
        m.put("model.sampler.iterations", samplerIterations);
        m.put("model.sampler.dense", samplerDense);
        m.put("model.sampler.structure-exponent", structureExponent);
        m.put("model.sampler.detail-exponent", detailExponent);
        putTrunk(m, "model.backbone", backbone);
        m.put("model.loss.temperature", loss.temperature());
        m.put("model.loss.weights.attention", loss.attention());
        m.put("model.loss.weights.part", loss.part());
        m.put("model.loss.weights.master", loss.master());
        m.put("model.loss.weights.shared-part", loss.sharedPart());
        m.put("model.loss.weights.shared-master", loss.sharedMaster());
        m.put("model.loss.weights.distillation", loss.distillation());
        return ConfigFactory.parseMap(m);
    }

    /** A copy with another number of classes (the train job sets it from the data set). */
    public ModelConfig withNumClasses(int k) {
        if (k < 2) {
            throw new ConfigException("model.num-classes = " + k + ": a classifier needs at least 2 classes");
        }
        return new ModelConfig(inputSize, seed, k, attentionSize, sampledSize, attention, headChannels, trilinearScale,
                samplerIterations, samplerDense, structureExponent, detailExponent, backbone, loss);
    }

    private static void putTrunk(Map<String, Object> m, String prefix, Trunk t) {
        m.put(prefix + ".block", key(t.block()));
        m.put(prefix + ".layers", Arrays.stream(t.layers()).boxed().toList());
        m.put(prefix + ".width", t.width());
        m.put(prefix + ".strides", Arrays.stream(t.strides()).boxed().toList());
        m.put(prefix + ".stem", key(t.stem()));
    }

    static String key(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
