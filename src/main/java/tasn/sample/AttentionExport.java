package tasn.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tasn.data.RgbImage;
import tasn.model.SamplingMagnification;
import tasn.model.TasnGraph;
import tasn.score.EvalViews;
import tasn.score.ImageScorer;
import tasn.score.LoadedModels;
import tasn.score.ModelArchive;
import tasn.score.ScoreItem;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Exports the attention samples of a batch of images into {@code DIR/images/<folder>/}
 * through Hadoop's FileSystem API (so DIR may be on HDFS): {@code original.png} (the
 * evaluation view, as the model saw it), {@code structure.png} and {@code detail.png} (the
 * test-time samples), {@code detail-random-<k>.png} (random attention channels, as training
 * draws them), {@code heatmap.png} (the attention over the view) and {@code predictions.json}
 * (every head's top classes, and under {@code "magnification"} the sampler's peak zoom of rows
 * and columns for the structure and the detail map: {@link SamplingMagnification}, 1 for a
 * plain resize). Runs on the executors, with the model from {@link LoadedModels}.
 */
public final class AttentionExport implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The TASN graph's vertex holding the C trilinear attention maps (TASN.md "Trilinear attention"). */
    static final String CHANNEL_MAPS = "trilinear_attention";
    private static final int TOP = 5;

    private final ModelArchive.Reference model;
    private final SerializableConfiguration hadoop;
    private final String directory;
    private final int randomDetails;
    private final int batchSize;
    private final long maxPixels;

    public AttentionExport(ModelArchive.Reference model, Configuration hadoop, String directory, int randomDetails,
                           int batchSize, long maxPixels) {
        this.model = model;
        this.hadoop = new SerializableConfiguration(hadoop);
        this.directory = directory;
        this.randomDetails = randomDetails;
        this.batchSize = batchSize;
        this.maxPixels = maxPixels;
    }

    /** Exports a partition, {@code batchSize} images per forward pass. */
    public Iterator<ExportedImage> export(Iterator<ScoreItem> items) {
        List<ExportedImage> done = new ArrayList<>();
        List<ScoreItem> batch = new ArrayList<>();
        while (items.hasNext()) {
            batch.add(items.next());
            if (batch.size() == batchSize || !items.hasNext()) {
                done.addAll(exportBatch(batch));
                batch.clear();
            }
        }
        return done.iterator();
    }

    List<ExportedImage> exportBatch(List<ScoreItem> batch) {
        LoadedModels.Loaded loaded = LoadedModels.get(model, hadoop.value());
        ModelArchive archive = loaded.archive();
        EvalViews views = new EvalViews(maxPixels, archive.inputSize(), hadoop.value());
        ExportedImage[] results = new ExportedImage[batch.size()];
        List<RgbImage> good = new ArrayList<>();
        List<Integer> goodIndex = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ScoreItem item = batch.get(i);
            try {
                good.add(views.view(item));
                goodIndex.add(i);
            } catch (EvalViews.Refused e) {
                results[i] = new ExportedImage(item.id(), item.path(), item.labelName(), null, List.of(), List.of(),
                        null, null, e.reason + ": " + e.getMessage());
            }
        }
        if (!good.isEmpty()) {
            Map<String, INDArray> activations = forward(archive, good);
            AttentionRenderer renderer = new AttentionRenderer(archive.model(), archive.channelMean());
            for (int j = 0; j < good.size(); j++) {
                int i = goodIndex.get(j);
                results[i] = write(batch.get(i), good.get(j), j, activations, archive, renderer);
            }
        }
        return List.of(results);
    }

    private Map<String, INDArray> forward(ModelArchive archive, List<RgbImage> views) {
        INDArray images = ImageScorer.tensor(views, archive.channelMean());
        ComputationGraph graph = archive.graph();
        // The same lock as the predictor: one forward pass at a time on the shared graph.
        synchronized (graph) {
            return graph.feedForward(new INDArray[]{images}, false, true);
        }
    }

    private ExportedImage write(ScoreItem item, RgbImage view, int row, Map<String, INDArray> a, ModelArchive archive,
                                AttentionRenderer renderer) {
        String folder = ExportNames.folder(item.path(), item.id());
        INDArray channelMaps = randomDetails > 0 ? one(a.get(CHANNEL_MAPS), row) : null;
        INDArray structureMap = one(a.get(TasnGraph.STRUCTURE_MAP), row);
        INDArray detailMap = one(a.get(TasnGraph.DETAIL_MAP), row);
        AttentionRenderer.Pictures pictures = renderer.render(view, structureMap, detailMap, channelMaps, randomDetails,
                drawSeed(archive.model().seed(), item.id()));
        SamplingMagnification.Peaks structureZoom = renderer.magnification(structureMap);
        SamplingMagnification.Peaks detailZoom = renderer.magnification(detailMap);
        Map<String, RgbImage> files = new LinkedHashMap<>();
        files.put("original.png", pictures.original());
        files.put("structure.png", pictures.structure());
        files.put("detail.png", pictures.detail());
        for (int k = 0; k < pictures.randomDetails().size(); k++) {
            files.put("detail-random-" + (k + 1) + ".png", pictures.randomDetails().get(k));
        }
        files.put("heatmap.png", pictures.heatMap());
        Path dir = new Path(new Path(directory, "images"), folder);
        List<String> headLines = new ArrayList<>();
        try {
            FileSystem fs = dir.getFileSystem(hadoop.value());
            fs.mkdirs(dir);
            for (Map.Entry<String, RgbImage> file : files.entrySet()) {
                try (FSDataOutputStream out = fs.create(new Path(dir, file.getKey()), true)) {
                    ImageIO.write(AttentionRenderer.toBuffered(file.getValue()), "png", out);
                }
            }
            String json = predictionsJson(item, a, row, archive, structureZoom, detailZoom, headLines);
            try (FSDataOutputStream out = fs.create(new Path(dir, "predictions.json"), true)) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
        }
        return new ExportedImage(item.id(), item.path(), item.labelName(), folder, List.copyOf(files.keySet()),
                headLines, structureZoom, detailZoom, null);
    }

    private static String predictionsJson(ScoreItem item, Map<String, INDArray> a, int row, ModelArchive archive,
                                          SamplingMagnification.Peaks structure, SamplingMagnification.Peaks detail,
                                          List<String> headLines) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("id", item.id());
        root.put("path", item.path());
        if (item.labelName() != null) {
            root.put("label", item.labelName());
        }
        ObjectNode heads = root.putObject("heads");
        for (String output : TasnGraph.CLASSIFIERS) {
            float[] p = a.get(output).getRow(row).toFloatVector();
            Integer[] order = new Integer[p.length];
            for (int k = 0; k < p.length; k++) {
                order[k] = k;
            }
            java.util.Arrays.sort(order, (x, y) -> Float.compare(p[y], p[x]) != 0 ? Float.compare(p[y], p[x]) : Integer.compare(x, y));
            String head = output.substring("head_".length());
            ArrayNode top = heads.putObject(head).putArray("top");
            for (int k = 0; k < Math.min(TOP, p.length); k++) {
                ObjectNode c = top.addObject();
                c.put("class", archive.classes().get(order[k]));
                c.put("index", order[k]);
                c.put("probability", p[order[k]]);
            }
            headLines.add(String.format(Locale.ROOT, "%s: %s (%.3f)", head, archive.classes().get(order[0]), p[order[0]]));
        }
        putMagnification(root.putObject("magnification"), structure, detail);
        try {
            return json.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code {"structure": {"rows": x, "columns": y}, "detail": {"rows": x, "columns": y}}} into
     * {@code node}: the shape of predictions.json's "magnification" and summary.json's
     * "mean_magnification".
     */
    static void putMagnification(ObjectNode node, SamplingMagnification.Peaks structure,
                                 SamplingMagnification.Peaks detail) {
        ObjectNode s = node.putObject("structure");
        s.put("rows", structure.rows());
        s.put("columns", structure.columns());
        ObjectNode d = node.putObject("detail");
        d.put("rows", detail.rows());
        d.put("columns", detail.columns());
    }

    /** Row {@code i} of a batch array, keeping the batch axis. */
    private static INDArray one(INDArray batch, int i) {
        if (batch == null) {
            throw new IllegalStateException("the model has no attention maps (a baseline cannot be sampled)");
        }
        return batch.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup();
    }

    /** The seed of an image's random channel draws: the model seed mixed with the id's hash. */
    static long drawSeed(long seed, String id) {
        long h = 1125899906842597L;
        for (int i = 0; i < id.length(); i++) {
            h = 31 * h + id.charAt(i);
        }
        return seed ^ h;
    }
}
