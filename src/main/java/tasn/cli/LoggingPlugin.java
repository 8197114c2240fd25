package tasn.cli;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.slf4j.LoggerFactory;
import scala.Option;

import java.net.URISyntaxException;
import java.net.URL;
import java.util.Map;

/**
 * Applies the project's log4j2 configuration (conf/log4j2.properties, packaged in the jar as
 * {@value #CONFIGURATION}) in every JVM of a Spark application: the driver when its
 * SparkContext starts, and each executor when it starts (before its first task). Enabled by
 * {@code spark.plugins} in conf/spark-defaults.conf, so it works wherever the jar is on the
 * driver's and executors' class path when Spark loads plugins: YARN and Kubernetes (the jar
 * is on the container's class path), standalone (an executor fetches the application's jars
 * before it starts its plugins), local mode.
 *
 * <p>Only a JVM that runs Spark's built-in default configuration
 * ({@code org/apache/spark/log4j2-defaults.properties}, which Spark loads when nothing else
 * configured log4j2) or log4j2's own default is reconfigured: a cluster's log4j2.properties on
 * the class path, or {@code -Dlog4j2.configurationFile}, is the operator's choice and is kept.
 * What a JVM logs before the plugin starts (spark-submit's and the executor's first lines)
 * follows the configuration it started with. A {@code spark.log.level} given to the
 * application is applied again on the driver after the reconfiguration, as Spark applied it
 * before.
 */
public final class LoggingPlugin implements SparkPlugin {
    /** The classpath resource holding the project's configuration. */
    public static final String CONFIGURATION = "tasn/log4j2.properties";
    static final String SPARK_DEFAULT_CONFIGURATION = "org/apache/spark/log4j2-defaults.properties";

    /** What {@link #applyIfSparkDefault()} did. */
    enum Outcome { APPLIED, KEPT, NOT_LOG4J2, MISSING }

    @Override
    public DriverPlugin driverPlugin() {
        return new DriverPlugin() {
            @Override
            public Map<String, String> init(SparkContext sc, PluginContext pluginContext) {
                if (applyIfSparkDefault() == Outcome.APPLIED) {
                    Option<String> level = sc.getConf().getOption("spark.log.level");
                    if (level.isDefined()) {
                        sc.setLogLevel(level.get());
                    }
                }
                return Map.of();
            }
        };
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                applyIfSparkDefault();
            }
        };
    }

    /**
     * Reconfigures the log4j2 context Spark logs to from {@value #CONFIGURATION} when that
     * context runs Spark's (or log4j2's) default configuration; otherwise leaves it.
     */
    static synchronized Outcome applyIfSparkDefault() {
        // Spark's own classes log to the context of Spark's class loader; ours may be loaded
        // by an executor's child loader, whose context is not necessarily the same one.
        if (!(LogManager.getContext(SparkContext.class.getClassLoader(), false) instanceof LoggerContext context)) {
            return Outcome.NOT_LOG4J2;
        }
        Configuration current = context.getConfiguration();
        if (!isDefault(current)) {
            LoggerFactory.getLogger(LoggingPlugin.class).debug("log4j2 keeps its configuration {}", location(current));
            return Outcome.KEPT;
        }
        URL url = LoggingPlugin.class.getClassLoader().getResource(CONFIGURATION);
        if (url == null) {
            LoggerFactory.getLogger(LoggingPlugin.class).warn("{} is not on the class path; logging stays at Spark's default", CONFIGURATION);
            return Outcome.MISSING;
        }
        try {
            context.setConfigLocation(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read " + url, e);
        }
        LoggerFactory.getLogger(LoggingPlugin.class).info("logging configured from {} (in place of {})", url, location(current));
        return Outcome.APPLIED;
    }

    /** Spark's built-in default configuration, or log4j2's own when nothing configured it. */
    static boolean isDefault(Configuration configuration) {
        if (configuration instanceof DefaultConfiguration) {
            return true;
        }
        String location = location(configuration);
        return location != null && location.endsWith(SPARK_DEFAULT_CONFIGURATION);
    }

    private static String location(Configuration configuration) {
        ConfigurationSource source = configuration.getConfigurationSource();
        return source == null || source.getLocation() == null ? "log4j2's default configuration" : source.getLocation();
    }
}
