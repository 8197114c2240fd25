package tasn.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a training step's time goes, by DL4J layer type and direction, from Java Flight
 * Recorder stack samples of the training thread (execution and native-method samples: the
 * thread waits in a native ND4J call while oneDNN/OpenMP threads work, so its stack names the
 * layer being computed). Each sample is charged to the innermost DL4J layer, vertex, updater
 * or loss frame on its stack, as "Type.forward" / "Type.backward".
 */
final class LayerTimeProfile {

    private final Recording recording;
    private final String thread;

    private LayerTimeProfile(Recording recording, String thread) {
        this.recording = recording;
        this.thread = thread;
    }

    static LayerTimeProfile start() {
        Recording r = new Recording();
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
        r.start();
        return new LayerTimeProfile(r, Thread.currentThread().getName());
    }

    /** Stops, writes the recording to {@code file}, returns a JSON object of shares in percent. */
    String stopAndSummarise(Path file) throws Exception {
        recording.stop();
        recording.dump(file);
        recording.close();
        Map<String, Integer> counts = new TreeMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            if (!thread.equals(e.getThread("sampledThread").getJavaName()) || e.getStackTrace() == null) {
                continue;
            }
            counts.merge(category(e.getStackTrace().getFrames()), 1, Integer::sum);
            total++;
        }
        final int all = Math.max(1, total);
        Map<String, Integer> byShare = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        return byShare.entrySet().stream()
                .map(en -> String.format(Locale.ROOT, "\"%s\":%.1f", en.getKey(), 100.0 * en.getValue() / all))
                .collect(Collectors.joining(",", "{\"samples\":" + total + ",", "}"));
    }

    private static String category(List<RecordedFrame> frames) {
        String direction = null;
        for (RecordedFrame f : frames) {
            String cls = f.getMethod().getType().getName();
            String method = f.getMethod().getName();
            if (direction == null) {
                if (method.startsWith("backprop") || method.equals("doBackward") || method.equals("calcBackpropGradients")) {
                    direction = "backward";
                }
            }
            boolean layer = cls.startsWith("org.deeplearning4j.nn.layers.") && !cls.contains(".mkldnn.")
                    && !cls.endsWith("HelperUtils") && !cls.contains("AbstractLayer") && !cls.contains("BaseLayer");
            boolean vertex = cls.startsWith("org.deeplearning4j.nn.graph.vertex.impl.");
            boolean ours = cls.startsWith("tasn.model.");
            if (layer || vertex || ours) {
                String d = direction != null ? direction
                        : (method.startsWith("backprop") || method.equals("doBackward") ? "backward" : "forward");
                return simple(cls) + "." + d;
            }
            if (cls.startsWith("org.deeplearning4j.nn.updater.") || cls.startsWith("org.nd4j.linalg.learning.")) {
                return "updater";
            }
            if (cls.startsWith("org.nd4j.linalg.lossfunctions.")) {
                return "loss";
            }
        }
        return "other";
    }

    private static String simple(String cls) {
        String s = cls.substring(cls.lastIndexOf('.') + 1);
        int inner = s.indexOf('$');
        return inner < 0 ? s : s.substring(0, inner);
    }
}
