package tasn.model.speed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which build of ND4J's native library this JVM loaded, for the log and the benchmarks.
 *
 * <p>The project ships one build, {@value #SHIPPED}: ND4J compiled for generic x86-64 with
 * oneDNN, which dispatches its own kernels by the CPU at run time. It runs on every x86-64
 * CPU; the CPU-specific builds were measured no faster (docs/natives.md). JavaCPP unpacks the
 * library into a folder named after the build's platform and extension, so the build is read
 * from the path of the mapped {@code libnd4jcpu.so} in {@code /proc/self/maps}.
 */
public final class NativeBuild {

    /** The nd4j-native classifier the pom ships (property {@code nd4j.native.classifier}). */
    public static final String SHIPPED = "linux-x86_64-onednn";

    private static final String LIBRARY = "libnd4jcpu.so";

    private NativeBuild() {
    }

    /**
     * The build of the ND4J library mapped into this process, such as
     * {@code linux-x86_64-onednn}; empty before ND4J has loaded it, or where
     * {@code /proc/self/maps} does not exist (not Linux).
     */
    public static Optional<String> loaded() {
        try {
            return fromMaps(Files.readAllLines(Path.of("/proc/self/maps")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The build named by the folder that holds {@value #LIBRARY} in the lines of a maps file. */
    static Optional<String> fromMaps(List<String> mapsLines) {
        for (String line : mapsLines) {
            int at = line.indexOf('/');
            if (at < 0 || !line.endsWith("/" + LIBRARY)) {
                continue;
            }
            Path library = Path.of(line.substring(at));
            Path folder = library.getParent();
            if (folder != null && folder.getFileName() != null) {
                return Optional.of(folder.getFileName().toString());
            }
        }
        return Optional.empty();
    }
}
