package tasn.score;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.util.SerializableConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tasn.data.RgbImage;
import tasn.model.TasnPredictor;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Scores images in batches with one head of a saved model: the step that the score job and
 * the {@link TasnModel} Transformer share. Each batch's items get their evaluation views
 * ({@link EvalViews}); the ones that have one are stacked into a (N, 3, R, R) tensor with the
 * training mean subtracted (TASN.md "Shapes": no std division) and predicted in one forward
 * pass; the others are answered with their reason. The model comes from {@link LoadedModels},
 * so an executor loads it once whatever the number of partitions.
 */
public final class ImageScorer implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What to score with: the model file, the head, k, the batch size and the decoder's pixel limit. */
    public record Settings(ModelArchive.Reference model, String head, int topK, int batchSize, long maxPixels)
            implements Serializable {
    }

    /** An item and its prediction. */
    public record Scored(ScoreItem item, ScoredImage result) {
    }

    private final Settings settings;
    private final SerializableConfiguration hadoop;

    public ImageScorer(Settings settings, Configuration hadoop) {
        this.settings = settings;
        this.hadoop = new SerializableConfiguration(hadoop);
    }

    public Settings settings() {
        return settings;
    }

    /** The graph output name of a {@code --head} value (master, att, part, shared_part, shared_master). */
    public static String headOutput(String head) {
        return "head_" + head;
    }

    /** Lazily scores a partition, {@code batchSize} items at a time. */
    public Iterator<Scored> score(Iterator<ScoreItem> items) {
        return new Iterator<>() {
            private Iterator<Scored> batch = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!batch.hasNext() && items.hasNext()) {
                    List<ScoreItem> next = new ArrayList<>(settings.batchSize());
                    while (items.hasNext() && next.size() < settings.batchSize()) {
                        next.add(items.next());
                    }
                    batch = scoreBatch(next).iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Scored next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.next();
            }
        };
    }

    /** Scores one batch; the results are in the items' order. */
    public List<Scored> scoreBatch(List<ScoreItem> batch) {
        LoadedModels.Loaded loaded = LoadedModels.get(settings.model(), hadoop.value());
        ModelArchive model = loaded.archive();
        EvalViews views = new EvalViews(settings.maxPixels(), model.inputSize(), hadoop.value());
        ScoredImage[] results = new ScoredImage[batch.size()];
        List<RgbImage> good = new ArrayList<>();
        List<Integer> goodIndex = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            try {
                good.add(views.view(batch.get(i)));
                goodIndex.add(i);
            } catch (EvalViews.Refused e) {
                results[i] = ScoredImage.refused(e.reason, e.getMessage());
            }
        }
        if (!good.isEmpty()) {
            INDArray probabilities = probabilities(loaded.predictor(), model, good);
            for (int j = 0; j < good.size(); j++) {
                int i = goodIndex.get(j);
                float[] row = probabilities.getRow(j).toFloatVector();
                results[i] = ScoredImage.of(row, model.classes(), settings.topK(), batch.get(i).label());
            }
        }
        List<Scored> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(new Scored(batch.get(i), results[i]));
        }
        return out;
    }

    private INDArray probabilities(TasnPredictor predictor, ModelArchive model, List<RgbImage> views) {
        INDArray images = tensor(views, model.channelMean());
        INDArray p = predictor.predict(images).probabilities().get(headOutput(settings.head()));
        if (p == null) {
            throw new IllegalStateException("the model has no output " + headOutput(settings.head()));
        }
        return p;
    }

    /** (N, 3, H, W) floats: each view's pixels, channel-major, minus the channel mean. */
    public static INDArray tensor(List<RgbImage> views, float[] channelMean) {
        int h = views.get(0).height();
        int w = views.get(0).width();
        int plane = h * w;
        float[] data = new float[views.size() * 3 * plane];
        for (int n = 0; n < views.size(); n++) {
            byte[] px = views.get(n).pixels();
            int base = n * 3 * plane;
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    data[base + c * plane + p] = (px[p * 3 + c] & 0xFF) - channelMean[c];
                }
            }
        }
        return Nd4j.create(data, new long[]{views.size(), 3, h, w}, 'c');
    }
}
