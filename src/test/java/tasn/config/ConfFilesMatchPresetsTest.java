package tasn.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conf/tasn-NAME.conf is the documented, complete form of the built-in preset NAME: it must
 * resolve to exactly the same configuration and spell out every declared key.
 */
class ConfFilesMatchPresetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "cpu", "paper"})
    void confFileResolvesToItsBuiltInPreset(String name) {
        TasnConfig fromFile = ConfigLoader.load("conf/tasn-" + name + ".conf", List.of());
        TasnConfig builtIn = ConfigLoader.load(name, List.of());
        assertEquals(builtIn.render(), fromFile.render(), "conf/tasn-" + name + ".conf differs from the preset " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "cpu", "paper"})
    void confFileSetsEveryDeclaredKey(String name) {
        Config file = ConfigFactory.parseFile(new File("conf/tasn-" + name + ".conf"));
        TreeSet<String> missing = new TreeSet<>();
        for (Map.Entry<String, ?> entry : ConfigLoader.reference().entrySet()) {
            if (!file.hasPathOrNull(entry.getKey())) {
                missing.add(entry.getKey());
            }
        }
        assertTrue(missing.isEmpty(), "conf/tasn-" + name + ".conf does not document " + missing);
    }
}
