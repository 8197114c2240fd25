package tasn.model.speed;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Checks, for tests of code that builds networks on executors, that DL4J gave the network's
 * convolutions their oneDNN helper, and puts a JVM in the state of an executor started without
 * {@code -Dorg.eclipse.deeplearning4j.helpers.disable=false}.
 */
public final class OneDnnAssertions {
    private OneDnnAssertions() {
    }

    /** Removes DL4J's helper switch, as in a JVM started without our flag; returns the old value for {@link #restore}. */
    public static String forgetTheFlag() {
        String old = System.getProperty(OneDnnHelpers.DISABLE_PROPERTY);
        System.clearProperty(OneDnnHelpers.DISABLE_PROPERTY);
        return old;
    }

    public static void restore(String old) {
        if (old == null) {
            System.clearProperty(OneDnnHelpers.DISABLE_PROPERTY);
        } else {
            System.setProperty(OneDnnHelpers.DISABLE_PROPERTY, old);
        }
    }

    /** Every plain convolution layer of the graph (there must be one) runs through oneDNN. */
    public static void assertEveryConvolutionHasAOneDnnHelper(ComputationGraph graph) {
        List<Layer> convolutions = new ArrayList<>();
        for (Layer layer : graph.getLayers()) {
            if (layer.getClass() == ConvolutionLayer.class) {
                convolutions.add(layer);
            }
        }
        assertFalse(convolutions.isEmpty(), "the graph has no convolution layer to check");
        for (Layer layer : convolutions) {
            assertInstanceOf(MKLDNNConvHelper.class, helperOf(layer),
                    "convolution " + layer.conf().getLayer().getLayerName() + " runs without oneDNN");
        }
    }

    private static Object helperOf(Layer layer) {
        try {
            Field f = ConvolutionLayer.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f.get(layer);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("DL4J's ConvolutionLayer has no readable 'helper' field: " + e, e);
        }
    }
}
