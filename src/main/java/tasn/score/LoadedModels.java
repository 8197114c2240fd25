package tasn.score;

import org.apache.hadoop.conf.Configuration;
import tasn.model.TasnPredictor;
import tasn.model.speed.DeepLearningSpeed;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models this JVM has loaded, one per (file, version, mean): an executor reads and
 * deserialises a model once, on the first partition that needs it, and every later partition
 * and task in the same JVM reuses it. The predictor serialises forward passes on one graph
 * (ND4J spreads each pass over the cores itself).
 */
public final class LoadedModels {
    /** A loaded model and its predictor. */
    public record Loaded(ModelArchive archive, TasnPredictor predictor) {
    }

    private static final ConcurrentHashMap<String, Loaded> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private LoadedModels() {
    }

    public static Loaded get(ModelArchive.Reference reference, Configuration hadoop) {
        return MODELS.computeIfAbsent(reference.key(), key -> {
            LOADS.incrementAndGet();
            DeepLearningSpeed.enable(); // on the executor, before the model's layers exist
            ModelArchive archive = ModelArchive.read(reference, hadoop);
            return new Loaded(archive, new TasnPredictor(archive.graph()));
        });
    }

    /** How many times this JVM has read a model file: what the once-per-JVM promise is tested by. */
    public static int loads() {
        return LOADS.get();
    }
}
