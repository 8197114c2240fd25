package tasn.cli;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The platforms the build carries native libraries for: Linux on x86-64 only (ND4J's,
 * OpenBLAS's and OpenCV's natives; .mvn/maven.config, docs/natives.md). A job started anywhere
 * else is refused before it touches them, with a message instead of an UnsatisfiedLinkError
 * from deep inside ND4J or OpenCV; help and version still answer.
 */
final class SupportedPlatform {
    private static final Set<String> X86_64 = Set.of("amd64", "x86_64");

    private SupportedPlatform() {
    }

    /** Why this JVM cannot run a job, or empty when it can. */
    static Optional<String> refusal() {
        return refusal(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** Why a JVM on {@code osName} / {@code osArch} (Java's os.name and os.arch) cannot run a job. */
    static Optional<String> refusal(String osName, String osArch) {
        boolean linux = osName.toLowerCase(Locale.ROOT).startsWith("linux");
        if (linux && X86_64.contains(osArch.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of("tasn-spark runs on Linux x86-64 only, and this JVM runs on " + osName + " " + osArch
                + ": the build carries no native libraries (ND4J, OpenBLAS, OpenCV) for it. Run the jobs on a Linux "
                + "x86-64 machine or cluster (README, \"What you need\").");
    }
}
