package tasn.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decision of tasn.cli.LoggingPlugin on this JVM's real log4j2 context: a JVM running
 * Spark's default configuration gets the project's; one configured by a file of its own (a
 * cluster's log4j2.properties, -Dlog4j2.configurationFile) keeps it. (SparkSubmitPathTest runs
 * the plugin in a real spark-submit driver and a real standalone executor.)
 */
class LoggingPluginTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private LoggerContext context;
    private URI original;

    @TempDir
    Path dir;

    @BeforeEach
    void remember() {
        context = (LoggerContext) LogManager.getContext(SparkContext.class.getClassLoader(), false);
        original = context.getConfiguration().getConfigurationSource().getURI();
    }

    @AfterEach
    void restore() {
        context.setConfigLocation(original);
    }

    @Test
    void thePackagedConfigurationIsTheShippedOne() throws Exception {
        URL resource = LoggingPlugin.class.getClassLoader().getResource(LoggingPlugin.CONFIGURATION);
        assertNotNull(resource, LoggingPlugin.CONFIGURATION + " is not on the class path");
        try (InputStream in = resource.openStream()) {
            assertArrayEquals(Files.readAllBytes(ROOT.resolve("conf/log4j2.properties")), in.readAllBytes());
        }
    }

    @Test
    void aJvmOnSparksDefaultConfigurationGetsTheProjectsLevelsAndPattern() throws Exception {
        URL sparkDefault = SparkContext.class.getClassLoader().getResource("org/apache/spark/log4j2-defaults.properties");
        context.setConfigLocation(sparkDefault.toURI());   // what Spark's Logging does when nothing configured log4j2
        assertEquals(Level.INFO, context.getConfiguration().getRootLogger().getLevel());

        assertEquals(LoggingPlugin.Outcome.APPLIED, LoggingPlugin.applyIfSparkDefault());

        Configuration applied = context.getConfiguration();
        assertTrue(applied.getConfigurationSource().getLocation().endsWith("tasn/log4j2.properties"),
                applied.getConfigurationSource().getLocation());
        assertEquals(Level.WARN, applied.getRootLogger().getLevel());
        assertEquals(Level.INFO, applied.getLoggerConfig("tasn.data.IngestJob").getLevel());
        assertEquals(Level.ERROR, applied.getLoggerConfig("org.apache.parquet.hadoop").getLevel());
        Appender console = applied.getAppender("console");
        assertEquals("%d{HH:mm:ss} %p %c{1}: %m%n%ex", ((PatternLayout) console.getLayout()).getConversionPattern());
        // Applied once: the project's configuration is not a default to replace again.
        assertEquals(LoggingPlugin.Outcome.KEPT, LoggingPlugin.applyIfSparkDefault());
    }

    @Test
    void aJvmWithAConfigurationOfItsOwnKeepsIt() throws Exception {
        Path own = Files.writeString(dir.resolve("cluster-log4j2.properties"), String.join("\n",
                "rootLogger.level = debug",
                "rootLogger.appenderRef.out.ref = out",
                "appender.out.type = Console",
                "appender.out.name = out",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = CLUSTER %p %c: %m%n"));
        context.setConfigLocation(own.toUri());   // a cluster's log4j2.properties, or -Dlog4j2.configurationFile

        assertEquals(LoggingPlugin.Outcome.KEPT, LoggingPlugin.applyIfSparkDefault());

        Configuration kept = context.getConfiguration();
        assertEquals(own, Path.of(kept.getConfigurationSource().getURI()));
        assertEquals(Level.DEBUG, kept.getRootLogger().getLevel());
    }

    @Test
    void theTestsOwnConfigurationIsKept() {
        String before = context.getConfiguration().getConfigurationSource().getLocation();
        assertTrue(before.endsWith("log4j2-test.properties"), before);
        assertEquals(LoggingPlugin.Outcome.KEPT, LoggingPlugin.applyIfSparkDefault());
        assertEquals(before, context.getConfiguration().getConfigurationSource().getLocation());
    }
}
