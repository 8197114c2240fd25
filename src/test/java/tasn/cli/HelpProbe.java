package tasn.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link FastHelpTest} in a fresh JVM with {@code -Xlog:class+load} on stdout: calls the
 * real {@link TasnMain#main} for every help and version request of every job, and
 * {@link TasnMain#run} for command lines with errors, printing a marker line before each so that
 * every class the JVM loads can be traced to the invocation that loaded it. It ends with a
 * control that loads an ND4J and an OpenCV class without initialising them, which the test must
 * see (proof that the log would show them). Exits 3 if a command line error did not give 2.
 */
public final class HelpProbe {
    static final String MARK = "=== probe: ";
    static final String CONTROL = "control (loads org.nd4j and org.bytedeco classes on purpose)";

    private HelpProbe() {
    }

    /** The help and version requests, each a command line. */
    static List<List<String>> helpAndVersion() {
        List<List<String>> out = new ArrayList<>(List.of(List.of("--help"), List.of("--version"), List.of("-h"),
                List.of("-V"), List.of("help")));
        for (String name : TasnMain.commandLine().getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            out.add(List.of(name, "--help"));
            out.add(List.of(name, "-h"));
            out.add(List.of(name, "--version"));
            out.add(List.of("help", name));
        }
        return out;
    }

    /** Command lines a job refuses before it starts (exit 2). */
    static List<List<String>> usageErrors() {
        return List.of(List.of("train", "--data", "d"), List.of("score", "--bogus"), List.of("inspect", "--model"),
                List.of("sample", "--model", "m", "--input", "i"), List.of("ingest", "--layout", "cub"), List.of("fly"));
    }

    public static void main(String[] args) throws Exception {
        for (List<String> line : helpAndVersion()) {
            mark(String.join(" ", line));
            TasnMain.main(line.toArray(String[]::new));
            System.out.flush();
        }
        for (List<String> line : usageErrors()) {
            mark(String.join(" ", line));
            int code = TasnMain.run(line.toArray(String[]::new));
            if (code != TasnMain.EXIT_USAGE) {
                System.out.println("exit " + code + " for " + line);
                System.exit(3);
            }
        }
        mark(CONTROL);
        Class.forName("org.nd4j.linalg.factory.Nd4j", false, HelpProbe.class.getClassLoader());
        Class.forName("org.bytedeco.opencv.global.opencv_core", false, HelpProbe.class.getClassLoader());
        mark("end");
    }

    private static void mark(String what) {
        System.out.flush();
        System.out.println(MARK + what);
        System.out.flush();
    }
}
