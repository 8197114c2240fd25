package tasn.model.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The shipped natives are the generic oneDNN build and nothing else loads in its place: the
 * CPU-specific builds beside it would be picked by JavaCPP first (and the -avx512 one kills
 * the JVM on a CPU without AVX-512), so the pom must carry exactly one (docs/natives.md).
 */
class NativeBuildTest {

    @Test
    void nd4jLoadsTheGenericOneDnnBuildWithItsLayerHelpersOn() {
        Nd4j.create(2, 2).addi(1); // loads the native library
        assertEquals(Optional.of(NativeBuild.SHIPPED), NativeBuild.loaded(),
                "the JVM mapped another ND4J build than the shipped one; is a second nd4j-native classifier on the classpath?");
        assertTrue(DeepLearningSpeed.enable(), "oneDNN helpers off: " + OneDnnHelpers.whyInactive());
    }

    @Test
    void theBuildIsTheFolderJavaCppUnpackedTheLibraryInto() {
        List<String> maps = List.of(
                "7f00-7f10 r--p 00000000 fd:01 1 /usr/lib/x86_64-linux-gnu/libc.so.6",
                "7f20-7f30 r-xp 00000000 fd:01 2 /root/.javacpp/cache/nd4j-native-1.0.0-M2-linux-x86_64-onednn-avx2.jar"
                        + "/org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx2/libnd4jcpu.so",
                "7f40-7f50 r-xp 00000000 fd:01 3 /root/.javacpp/cache/x/linux-x86_64-onednn-avx2/libjnind4jcpu.so");
        assertEquals(Optional.of("linux-x86_64-onednn-avx2"), NativeBuild.fromMaps(maps));
        assertEquals(Optional.empty(), NativeBuild.fromMaps(List.of(maps.get(0), maps.get(2))));
    }
}
