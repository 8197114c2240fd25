package tasn.model;

import org.junit.jupiter.api.Test;
import tasn.config.ConfigException;
import tasn.config.ConfigLoader;
import tasn.config.ModelConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {

    @Test
    void everyPresetSurvivesAJsonRoundTrip() {
        for (String preset : ConfigLoader.PRESETS) {
            ModelConfig model = ConfigLoader.load(preset, List.of("model.num-classes=37", "seed=7")).model();
            assertEquals(model, ModelConfig.fromJson(model.toJson()), preset);
        }
    }

    @Test
    void presetsHaveTheDesignedSizes() {
        ModelConfig paper = ConfigLoader.load("paper", List.of()).model();
        assertEquals(512, paper.inputSize());
        assertEquals(224, paper.attentionSize());
        assertEquals(224, paper.sampledSize());
        assertEquals(512, paper.headChannels());
        assertEquals(8, paper.attention().totalStride());
        ModelConfig cpu = ConfigLoader.load("cpu", List.of()).model();
        assertEquals(224, cpu.inputSize());
        assertEquals(112 / 8, cpu.attentionSize() / cpu.attention().totalStride());
        ModelConfig tiny = ConfigLoader.load("tiny", List.of()).model();
        assertEquals(64, tiny.inputSize());
        assertEquals(32, tiny.sampledSize());
        assertEquals(7.0, tiny.trilinearScale());
        assertEquals(10.0, tiny.loss().temperature());
        assertEquals(0.5, tiny.loss().sharedMaster());
    }

    @Test
    void inputSizeIsTheRawSize() {
        ModelConfig model = ConfigLoader.load("tiny", List.of("data.raw-size=80")).model();
        assertEquals(80, model.inputSize());
    }

    @Test
    void badValuesAreErrorsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load("tiny", List.of("model.backbone.strides=[1,2]")));
        assertTrue(e.getMessage().contains("model.backbone.strides"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load("tiny", List.of("model.attention.block=dense")));
        assertTrue(e.getMessage().contains("model.attention.block"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load("tiny", List.of("model.num-classes=1")));
        assertTrue(e.getMessage().contains("model.num-classes"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load("tiny", List.of("model.attention.stem=imagenet", "model.attention.strides=[2,2,2,2]")));
        assertTrue(e.getMessage().contains("model.attention-size"), e.getMessage());
    }
}
