package tasn.model.speed;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/**
 * Rewrites a graph under construction so that every DL4J {@code BatchNormalization} followed
 * only by an {@code ActivationLayer(RELU)} becomes one {@link FusedBatchNormRelu}, keeping the
 * batch-norm vertex's name (so its parameters keep their names, e.g. {@code bn1_gamma}) and
 * wiring the ReLU's consumers to it. Call it on the builder after the model is added and
 * before {@code build()}: {@code BatchNormReluFusion.fuse(graphBuilder)}.
 *
 * <p>A pair is left alone when the batch norm feeds anything else, either vertex is a
 * network output or has an input pre-processor, gamma/beta are locked, or the layout is not
 * NCHW.
 */
public final class BatchNormReluFusion {

    private BatchNormReluFusion() {
    }

    /** @return how many BN + ReLU pairs were fused */
    public static int fuse(GraphBuilder g) {
        Map<String, GraphVertex> vertices = g.getVertices();
        int fused = 0;
        for (String reluName : new ArrayList<>(vertices.keySet())) {
            String bnName = fusibleBatchNorm(g, reluName);
            if (bnName == null) {
                continue;
            }
            LayerVertex bnVertex = (LayerVertex) vertices.get(bnName);
            NeuralNetConfiguration layerConf = bnVertex.getLayerConf().clone();
            layerConf.setLayer(copyOf((BatchNormalization) bnVertex.getLayerConf().getLayer()));
            vertices.put(bnName, new LayerVertex(layerConf, null));
            vertices.remove(reluName);
            g.getVertexInputs().remove(reluName);
            for (Map.Entry<String, List<String>> e : g.getVertexInputs().entrySet()) {
                if (e.getValue().contains(reluName)) {
                    List<String> rewired = new ArrayList<>(e.getValue());
                    rewired.replaceAll(s -> s.equals(reluName) ? bnName : s);
                    e.setValue(rewired);
                }
            }
            fused++;
        }
        return fused;
    }

    /** The batch-norm vertex feeding {@code reluName} if the pair can be fused, else null. */
    private static String fusibleBatchNorm(GraphBuilder g, String reluName) {
        GraphVertex v = g.getVertices().get(reluName);
        if (!(v instanceof LayerVertex relu) || relu.getPreProcessor() != null
                || !(relu.getLayerConf().getLayer() instanceof ActivationLayer act)
                || !(act.getActivationFn() instanceof ActivationReLU)
                || g.getNetworkOutputs().contains(reluName)) {
            return null;
        }
        List<String> in = g.getVertexInputs().get(reluName);
        if (in == null || in.size() != 1) {
            return null;
        }
        String bnName = in.get(0);
        GraphVertex b = g.getVertices().get(bnName);
        if (!(b instanceof LayerVertex bnVertex) || bnVertex.getPreProcessor() != null
                || bnVertex.getLayerConf().getLayer().getClass() != BatchNormalization.class
                || g.getNetworkOutputs().contains(bnName)) {
            return null;
        }
        BatchNormalization bn = (BatchNormalization) bnVertex.getLayerConf().getLayer();
        if (bn.isLockGammaBeta() || bn.getCnn2DFormat() != CNN2DFormat.NCHW) {
            return null;
        }
        for (Map.Entry<String, List<String>> e : g.getVertexInputs().entrySet()) {
            if (!e.getKey().equals(reluName) && e.getValue().contains(bnName)) {
                return null;
            }
        }
        return bnName;
    }

    /** A FusedBatchNormRelu with every setting of {@code bn} (decay, eps, updaters, nIn/nOut, name...). */
    static FusedBatchNormRelu copyOf(BatchNormalization bn) {
        FusedBatchNormRelu f = new FusedBatchNormRelu();
        for (Class<?> c = BatchNormalization.class; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    field.set(f, field.get(bn));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy " + c.getName() + "." + field.getName()
                            + " into FusedBatchNormRelu", e);
                }
            }
        }
        return f;
    }
}
