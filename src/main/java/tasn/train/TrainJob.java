package tasn.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import tasn.config.ConfigException;
import tasn.config.ConfigLoader;
import tasn.config.ResumeChanges;
import tasn.config.TasnConfig;
import tasn.config.TrainConfig;
import tasn.config.UsageException;
import tasn.model.SavedModel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The train job (DESIGN.md): reads the ingest job's shards, trains the graph with dl4j-spark
 * parameter averaging round by round ({@link EpochBatches}), evaluates every head on the
 * cluster after every epoch, and keeps the run directory up to date: config.conf,
 * metrics.jsonl, curves.png, checkpoints/ and, at the end, model.zip.
 *
 * <p>Every check of the inputs runs before anything is written, so a refused run leaves
 * nothing behind.
 */
public final class TrainJob {
    /** The model.zip entry holding the class names, one a line, in label order. */
    public static final String CLASSES_KEY = SavedModel.CLASSES_KEY;

    /** What the command line asks for. {@code initModel} may be null. */
    public record Request(String data, String runDir, TasnConfig config, boolean resume, boolean baseline,
                          String initModel, boolean overwrite) {
    }

    /** What a finished run reports. */
    public record Summary(int epochs, long iterations, double headlineAccuracy, String headlineSplit, Path model) {
    }

    private final SparkSession spark;
    private final GraphFactory factory;
    private final java.io.PrintStream progress;

    public TrainJob(SparkSession spark, GraphFactory factory, java.io.PrintStream progress) {
        this.spark = spark;
        this.factory = factory;
        this.progress = progress;
    }

    public Summary run(Request request) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TasnConfig config = request.config();
        TrainConfig train = config.train();
        Path runDir = new Path(request.runDir());
        FileSystem fs = RunFiles.fileSystem(runDir, hadoop);
        Checkpoints checkpoints = new Checkpoints(fs, new Path(runDir, "checkpoints"), train.keepCheckpoints());

        // 1. Checks, before anything is written.
        Optional<Checkpoints.Restored> restored = checkRunDirectory(request, fs, runDir, checkpoints);
        boolean baseline = restored.map(r -> r.state().baseline()).orElse(request.baseline());
        String init = request.initModel() == null ? null : qualified(request.initModel(), hadoop);
        Path dataDir = new Path(request.data());
        DatasetDescription dataset = DatasetDescription.read(dataDir, hadoop);
        if (restored.isPresent()) {
            TasnConfig run = savedConfig(fs, runDir);
            List<ResumeChanges.Change> changes = ResumeCheck.accepted(runDir, run, restored.get(),
                    new ResumeCheck.Command(config, request.baseline(), init, dataDir, dataset.classes()));
            if (!changes.isEmpty()) {
                progress.println("--resume: taking from the command line " + String.join(", ", changes.stream()
                        .map(c -> c.key() + " " + c.run() + " -> " + c.command()).toList()));
            }
            if (init != null && restored.get().state().init() == null) {
                progress.println("--init " + init + ": not read; the resumed run takes its parameters from its checkpoint "
                        + "(which does not record how the run started)");
            }
        }
        // How the run started, carried by every checkpoint (an older checkpoint's unknown stays unknown).
        String start = restored.isPresent() ? restored.get().state().init() : init == null ? "" : init;
        ShardReader reader = new ShardReader(spark, dataDir);
        if (!reader.has("train")) {
            throw new UsageException("--data " + dataDir + ": no training shards in " + new Path(dataDir, "train")
                    + "; give the --output directory of a finished jobs/ingest.sh run");
        }
        JavaRDD<ShardExample> trainRows = reader.read("train").persist(StorageLevel.MEMORY_AND_DISK());
        TrainShardStats stats = TrainShardStats.of(trainRows, dataset.numClasses(), "train", dataDir);
        JavaRDD<ShardExample> valRows = reader.has("val") ? reader.read("val").persist(StorageLevel.MEMORY_AND_DISK()) : null;
        JavaRDD<ShardExample> testRows = reader.has("test") ? reader.read("test").persist(StorageLevel.MEMORY_AND_DISK()) : null;
        if (valRows != null) {
            TrainShardStats.of(valRows, dataset.numClasses(), "val", dataDir);
        }
        if (testRows != null) {
            TrainShardStats.of(testRows, dataset.numClasses(), "test", dataDir);
        }
        int workers = train.workers() > 0 ? train.workers() : sc.defaultParallelism();
        RoundLayout layout = RoundLayout.of(stats.images(), workers, train.batchSizePerWorker(), train.averagingFrequency());
        TrainableGraph graph = factory.build(config, dataset.numClasses(), baseline);
        LearningRateSchedule schedule = new LearningRateSchedule(train);
        ComputationGraph model = restored.map(Checkpoints.Restored::model)
                .orElseGet(() -> freshModel(graph.configuration(), train, schedule.rate(0)));
        if (request.initModel() != null && restored.isEmpty()) {
            initialise(model, request.initModel(), hadoop);
        }

        // 2. The run directory.
        if (restored.isEmpty()) {
            if (fs.exists(runDir) && !fs.delete(runDir, true)) {
                throw new IOException("cannot clear --output " + runDir + " for --overwrite");
            }
            fs.mkdirs(runDir);
        }
        RunFiles.replace(fs, new Path(runDir, "config.conf"), config.render());
        int startEpoch = restored.map(r -> r.state().epoch()).orElse(0);
        long iteration = restored.map(r -> r.state().iteration()).orElse(0L);
        double bestAccuracy = restored.map(r -> r.state().bestAccuracy()).orElse(Double.NEGATIVE_INFINITY);
        int bestEpoch = restored.map(r -> r.state().bestEpoch()).orElse(0);
        Path metricsFile = new Path(runDir, "metrics.jsonl");
        MetricsLog metrics = restored.isPresent() ? MetricsLog.resume(fs, metricsFile, startEpoch) : MetricsLog.create(fs, metricsFile);
        restored.ifPresent(r -> progress.printf("resuming from %s: %d of %d epochs done%n", r.directory(),
                r.state().epoch(), train.epochs()));

        // 3. Training.
        RoundTrainingMaster master = new RoundTrainingMaster(train.averageUpdaters(), workers, layout.batchSize(),
                layout.averagingFrequency(), train.prefetchBatches());
        SparkComputationGraph sparkNet = new SparkComputationGraph(sc, model, master);
        BatchAssembler assembler = new BatchAssembler(dataset.channelMean(), dataset.numClasses(), graph.labels());
        ProgressMeter meter = new ProgressMeter(progress, train.epochs(), startEpoch, layout);
        double headline = Double.NaN;
        String headlineSplit = valRows != null ? "val" : testRows != null ? "test" : "none";
        for (int epochIndex = startEpoch; epochIndex < train.epochs(); epochIndex++) {
            int epoch = epochIndex + 1;
            double learningRate = schedule.rate(epochIndex);
            sparkNet.getNetwork().setLearningRate(learningRate);
            EpochBatches batches = EpochBatches.of(trainRows, stats.copies(), config.seed(), epochIndex, layout, assembler);
            meter.startEpoch(epoch);
            double lossSum = 0;
            long epochStart = System.nanoTime();
            for (long round = 0; round < layout.rounds(); round++) {
                long roundStart = System.nanoTime();
                sparkNet.fitMultiDataSet(batches.round(round));
                double loss = sparkNet.getScore();
                iteration += layout.averagingFrequency();
                checkFinite(sparkNet.getNetwork(), loss, epoch, iteration, checkpoints);
                lossSum += loss;
                double seconds = (System.nanoTime() - roundStart) / 1e9;
                if (meter.roundDone(iteration, loss, layout.roundExamples(), seconds, train.logEveryIterations())) {
                    ObjectNode line = metrics.newEvent("iteration", epoch);
                    line.put("iteration", iteration);
                    line.put("loss", loss);
                    line.put("images_per_second", layout.roundExamples() / seconds);
                    line.put("learning_rate", learningRate);
                    metrics.append(line);
                }
            }
            double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
            ObjectNode line = metrics.newEvent("epoch", epoch);
            line.put("iteration", iteration);
            line.put("loss", lossSum / layout.rounds());
            line.put("learning_rate", learningRate);
            line.put("images_per_second", layout.paddedExamples() / trainSeconds);
            line.put("train_seconds", trainSeconds);
            ObjectNode eval = line.putObject("eval");
            Double splitHeadline = null;
            for (Map.Entry<String, JavaRDD<ShardExample>> split : splits(valRows, testRows).entrySet()) {
                Map<String, HeadEvaluation.HeadResult> results = HeadEvaluation.evaluate(sc, sparkNet.getNetwork(),
                        split.getValue(), assembler, train.evalBatchSize(), workers);
                ObjectNode heads = eval.putObject(split.getKey());
                results.forEach((head, r) -> {
                    ObjectNode h = heads.putObject(head);
                    h.put("top1", r.top1());
                    h.put("top5", r.top5());
                    h.put("loss", r.loss());
                    h.put("images", r.images());
                });
                if (split.getKey().equals(headlineSplit)) {
                    splitHeadline = results.get(graph.headlineHead()).top1();
                }
            }
            headline = splitHeadline == null ? Double.NaN : splitHeadline;
            line.put("headline_head", graph.headlineHead());
            line.put("headline_accuracy", headline);
            // Without an evaluation split every epoch counts as the best so far (the newest is kept).
            double score = Double.isNaN(headline) ? epoch : headline;
            if (score > bestAccuracy) {
                bestAccuracy = score;
                bestEpoch = epoch;
            }
            line.put("eval_seconds", (System.nanoTime() - epochStart) / 1e9 - trainSeconds);
            metrics.append(line);
            meter.epochDone(epoch, lossSum / layout.rounds(), headline, headlineSplit);
            RunFiles.replace(fs, new Path(runDir, "curves.png"), TrainingCurves.png(metrics.epochs(), 1000, 800));
            checkpoints.save(sparkNet.getNetwork(), new Checkpoints.State(epoch, iteration, config.seed(), learningRate,
                    bestAccuracy, bestEpoch, baseline, start, dataset.classes()));
        }
        Path modelFile = new Path(runDir, "model.zip");
        saveModel(sparkNet.getNetwork(), config, dataset, fs, modelFile);
        trainRows.unpersist();
        if (valRows != null) {
            valRows.unpersist();
        }
        if (testRows != null) {
            testRows.unpersist();
        }
        return new Summary(train.epochs(), iteration, headline, headlineSplit, modelFile);
    }

    private Optional<Checkpoints.Restored> checkRunDirectory(Request request, FileSystem fs, Path runDir,
                                                             Checkpoints checkpoints) throws IOException {
        boolean occupied = fs.exists(runDir) && (!fs.getFileStatus(runDir).isDirectory() || fs.listStatus(runDir).length > 0);
        if (request.resume()) {
            if (request.overwrite()) {
                throw new UsageException("--resume and --overwrite contradict each other: --resume continues the run in "
                        + runDir + ", --overwrite replaces it; give one of them");
            }
            Optional<Checkpoints.Restored> restored = checkpoints.newestValid();
            if (restored.isEmpty()) {
                throw new UsageException("--resume: " + runDir + " holds no readable checkpoint (checkpoints/epoch-*); "
                        + "start the run without --resume");
            }
            return restored;
        }
        if (occupied && !request.overwrite()) {
            throw new UsageException("--output " + runDir + " already exists; continue its run with --resume, or replace "
                    + "it with --overwrite");
        }
        return Optional.empty();
    }

    /** RUN_DIR/config.conf, the configuration the run was started (or last resumed) with. */
    private static TasnConfig savedConfig(FileSystem fs, Path runDir) throws IOException {
        Path file = new Path(runDir, "config.conf");
        if (!fs.exists(file)) {
            throw new UsageException("--resume: " + runDir + " has no config.conf, so it holds no run to resume; start the "
                    + "run without --resume");
        }
        try {
            return ConfigLoader.fromRendered(RunFiles.readText(fs, file));
        } catch (ConfigException e) {
            throw new UsageException("--resume: " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static String qualified(String file, Configuration hadoop) throws IOException {
        Path path = new Path(file);
        return path.getFileSystem(hadoop).makeQualified(path).toString();
    }

    private static ComputationGraph freshModel(ComputationGraphConfiguration configuration, TrainConfig train,
                                               double learningRate) {
        OptimizerSetup.apply(configuration, train, learningRate);
        ComputationGraph model = new ComputationGraph(configuration);
        model.init();
        return model;
    }

    private void initialise(ComputationGraph model, String initModel, Configuration hadoop) throws IOException {
        Path path = new Path(initModel);
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.exists(path)) {
            throw new UsageException("--init " + initModel + ": no such file; give a model.zip saved by DL4J");
        }
        ComputationGraph source;
        try (var in = fs.open(path)) {
            source = ModelSerializer.restoreComputationGraph(in, false);
        } catch (RuntimeException | IOException e) {
            throw new UsageException("--init " + initModel + ": not a DL4J ComputationGraph model (" + e.getMessage() + ")");
        }
        ParameterTransfer.Result result = ParameterTransfer.copyMatching(source, model);
        if (result.copied() == 0) {
            throw new UsageException("--init " + initModel + ": no parameter matches this graph by vertex name and shape; "
                    + "see tasn.train.ParameterTransfer for how to name a pretrained network's vertices");
        }
        progress.printf("--init %s: copied %d parameter arrays (%d values), %d kept their initialisation%n",
                initModel, result.copied(), result.copiedValues(), result.kept());
    }

    private static void checkFinite(ComputationGraph net, double loss, int epoch, long iteration, Checkpoints checkpoints)
            throws IOException {
        INDArray params = net.params();
        boolean badParams = BooleanIndexing.or(params, Conditions.isNan()) || BooleanIndexing.or(params, Conditions.isInfinite());
        if (Double.isFinite(loss) && !badParams) {
            return;
        }
        String last = checkpoints.listNewestFirst().stream().findFirst().map(Path::toString).orElse("none yet");
        throw new TrainingDiverged("training diverged at epoch " + epoch + ", iteration " + iteration + ": "
                + (Double.isFinite(loss) ? "a parameter" : "the loss (" + loss + ")") + " is no longer finite; the last "
                + "good checkpoint is " + last + "; lower train.learning-rate and start again or --resume");
    }

    private static Map<String, JavaRDD<ShardExample>> splits(JavaRDD<ShardExample> val, JavaRDD<ShardExample> test) {
        Map<String, JavaRDD<ShardExample>> splits = new java.util.LinkedHashMap<>();
        if (val != null) {
            splits.put("val", val);
        }
        if (test != null) {
            splits.put("test", test);
        }
        return splits;
    }

    /**
     * RUN_DIR/model.zip: the final model without updater state, saved by tasn.model's
     * {@link SavedModel} with the model configuration (its class count set from the data) and
     * the run's resolved configuration inside, plus the class names and the training data's
     * channel mean ({@link SavedModel#addTrainingData}), so the score and sample jobs need no other file.
     */
    static void saveModel(ComputationGraph model, TasnConfig config, DatasetDescription dataset, FileSystem fs,
                          Path target) throws IOException {
        File local = Files.createTempFile("tasn-model", ".zip").toFile();
        try {
            SavedModel.save(local, model, config.model().withNumClasses(dataset.numClasses()), config.render(), false);
            SavedModel.addTrainingData(local, dataset.classes(), dataset.channelMean());
            RunFiles.replace(fs, target, Files.readAllBytes(local.toPath()));
        } finally {
            if (!local.delete()) {
                local.deleteOnExit();
            }
        }
    }
}
