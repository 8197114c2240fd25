package tasn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/spark-properties.awk, the launchers' reader of spark-defaults.conf files, reads them
 * as Spark does: java.util.Properties.load (UTF-8), each value trimmed. Compared with Java's
 * own reader on every syntax a properties file allows.
 */
class SparkPropertiesFileTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String US = "\u001f";

    @TempDir
    Path dir;

    @Test
    void readsEveryPropertiesSyntaxAsJavaAndSparkDo() throws Exception {
        String text = String.join("\n",
                "# a comment",
                "! another comment",
                "   spark.blank.separated     value with  inner  spaces   ",
                "spark.equals=value",
                "spark.colon: value",
                "spark.tab\tvalue",
                "spark.blank.then.equals = = the second equals is the value's",
                "spark.colon.then.blank :value",
                "spark.escaped\\=key\\:part=value",
                "key\\ with\\ blanks value",
                "spark.continued first \\",
                "     second \\\\",
                "spark.three.backslashes x\\\\\\",
                "   y",
                "spark.unicode \\u00e9t\\u00E9 caf\\u00e9 \\ud83d\\ude00 \\u20ac",
                "spark.raw.utf8 déjà vu ✓",
                "spark.escapes a\\tb\\fc\\qd\\\\e",
                "spark.empty",
                "spark.empty.equals=",
                "spark.only.blanks =    ",
                "  # an indented comment",
                "spark.comment.in.value # not a comment",
                "spark.continued.comment \\",
                "# continues, not a comment",
                "spark.twice first",
                "spark.twice second",
                "spark.crlf value\r",
                "spark.blank.continuation a\\",
                "",
                "spark.after.blank.continuation b",
                "spark.last.line.continued end \\");
        Path file = Files.writeString(dir.resolve("spark-defaults.conf"), text, StandardCharsets.UTF_8);

        assertEquals(javaReading(file), awkReading(file));
        Map<String, String> read = awkReading(file);
        assertEquals("= the second equals is the value's", read.get("spark.blank.then.equals"));
        assertEquals("first second \\", read.get("spark.continued"));
        assertEquals("été café \uD83D\uDE00 €", read.get("spark.unicode"));
        assertEquals("second", read.get("spark.twice"));
    }

    @Test
    void readsTheShippedConfigurationFilesAsJavaDoes() throws Exception {
        for (String name : List.of("conf/spark-defaults.conf", "conf/log4j2.properties")) {
            assertEquals(javaReading(ROOT.resolve(name)), awkReading(ROOT.resolve(name)), name);
        }
    }

    @Test
    void putsEverySettingOfTheProjectsFileInTheLayerAboveIt() throws Exception {
        Result r = awk(List.of("-v", "layers=1"), ROOT.resolve("conf/spark-defaults.conf"));
        assertEquals(0, r.exit(), r.stderr());
        Map<String, String> layers = new TreeMap<>();
        for (String line : r.stdout().split("\n")) {
            String[] parts = line.split(US, -1);
            layers.put(parts[0], parts[1]);
        }
        assertEquals("need", layers.get("spark.kryo.registrator"));
        assertEquals("need", layers.get("spark.dynamicAllocation.enabled"));
        assertEquals("need", layers.get("spark.plugins"));
        assertEquals("default", layers.get("spark.locality.wait"));
        assertEquals("default", layers.get("spark.sql.parquet.compression.codec"));
        assertEquals(javaReading(ROOT.resolve("conf/spark-defaults.conf")).keySet(), layers.keySet());
    }

    @Test
    void refusesWhatCannotBePassedOnNamingFileAndLine() throws Exception {
        assertRefused("spark.a 1\nspark.bad \\u00zz\n", List.of(), ":2: malformed \\uxxxx encoding");
        assertRefused("spark.a 1\nspark.newline a\\nb\n", List.of(), ":2: spark.newline: a line break");
        assertRefused("spark.a 1\n", List.of("-v", "layers=1"), ":1: spark.a: no #@layer line before it");
        assertRefused("#@layer maybe\nspark.a 1\n", List.of("-v", "layers=1"), ":1: unknown layer 'maybe'");
    }

    private void assertRefused(String text, List<String> options, String message) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.conf"), text);
        Result r = awk(options, file);
        assertEquals(2, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains(file + message), r.stderr());
    }

    /** How Spark reads the file: Properties.load from UTF-8, values trimmed (Utils.getPropertiesFromFile). */
    static Map<String, String> javaReading(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key).trim());
        }
        return values;
    }

    static Map<String, String> awkReading(Path file) throws Exception {
        Result r = awk(List.of(), file);
        assertEquals(0, r.exit(), r.stderr());
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isEmpty()) {
                String[] parts = line.split(US, -1);
                assertEquals(3, parts.length, line);
                values.put(parts[0], parts[2]);
            }
        }
        return new TreeMap<>(values);
    }

    record Result(int exit, String stdout, String stderr) {
    }

    static Result awk(List<String> options, Path file) throws Exception {
        List<String> command = new ArrayList<>(List.of("awk"));
        command.addAll(options);
        command.addAll(List.of("-f", ROOT.resolve("deploy/spark-properties.awk").toString(), file.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }
}
