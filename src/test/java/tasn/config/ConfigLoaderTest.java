package tasn.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    @Test
    void defaultsComeFromReferenceConf() {
        TasnConfig config = ConfigLoader.load(null, List.of());
        assertEquals(64, config.data().rawSize());
        assertEquals(0.1, config.data().valFraction(), 1e-12);
        assertEquals(DataConfig.PixelEncoding.RAW, config.data().encoding());
        assertTrue(config.data().augment().enabled());
    }

    @Test
    void builtInPresetsLayerOverTheDefaults() {
        assertEquals(224, ConfigLoader.load("cpu", List.of()).data().rawSize());
        assertEquals(512, ConfigLoader.load("paper", List.of()).data().rawSize());
        TasnConfig tiny = ConfigLoader.load("tiny", List.of());
        assertEquals("tiny", tiny.name());
        assertEquals(64, tiny.data().rawSize());
    }

    @Test
    void setOverridesWinOverTheFileAndApplyInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.conf");
        Files.writeString(file, "name = mine\ndata { raw-size = 96, copies = 3 }\n");
        TasnConfig config = ConfigLoader.load(file.toString(),
                List.of("data.copies=5", "data.encoding=jpeg", "data.copies=7", "data.augment.rotation-degrees=0"));
        assertEquals("mine", config.name());
        assertEquals(96, config.data().rawSize());
        assertEquals(7, config.data().copies());
        assertEquals(DataConfig.PixelEncoding.JPEG, config.data().encoding());
        assertEquals(0.0, config.data().augment().rotationDegrees());
    }

    @Test
    void unknownKeyIsAnErrorThatNamesItAndSuggestsTheNearest() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("data.val-fractoin=0.2")));
        assertTrue(e.getMessage().contains("data.val-fractoin"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean data.val-fraction"), e.getMessage());
    }

    @Test
    void unknownKeyInAFileNamesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "data.colour = red\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file.toString(), List.of()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("data.colour"), e.getMessage());
    }

    @Test
    void badValuesAreErrorsThatNameTheKeyAndTheAllowedRange() {
        ConfigException range = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("data.val-fraction=1.5")));
        assertTrue(range.getMessage().startsWith("data.val-fraction = 1.5"), range.getMessage());
        ConfigException type = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("data.copies=many")));
        assertTrue(type.getMessage().startsWith("data.copies"), type.getMessage());
        ConfigException choice = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("data.encoding=webp")));
        assertTrue(choice.getMessage().contains("raw, jpeg, png"), choice.getMessage());
    }

    @Test
    void missingConfigFileOrMalformedSetIsReported() {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ConfigLoader.load("/no/such/file.conf", List.of()));
        assertTrue(missing.getMessage().contains("--config /no/such/file.conf"), missing.getMessage());
        ConfigException noEquals = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("data.copies")));
        assertTrue(noEquals.getMessage().contains("key=value"), noEquals.getMessage());
    }

    @Test
    void renderedConfigurationReadsBackToTheSameValues() {
        TasnConfig config = ConfigLoader.load("cpu", List.of("data.copies=4", "seed=7"));
        TasnConfig again = ConfigLoader.fromRendered(config.render());
        assertEquals(config.data(), again.data());
        assertEquals(config.seed(), again.seed());
        assertEquals(config.render(), again.render());
        assertFalse(config.render().contains("#"), "rendered config carries no comments");
    }
}
