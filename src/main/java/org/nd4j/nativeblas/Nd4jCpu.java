package org.nd4j.nativeblas;

/**
 * Stand-in under the class name that DL4J 1.0.0-M2's oneDNN layer helpers still look up.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} loads
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by reflection and calls
 * {@code getInstance().isUseMKLDNN()}. In ND4J M2 the binding moved to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the method became
 * {@code isUseONEDNN()}; the failed lookup is swallowed and every oneDNN helper (convolution,
 * batch normalisation, pooling) silently switches off. This class answers under the old
 * name by asking the real binding, so the helpers run exactly when ND4J's native library was
 * built with oneDNN and has it switched on. See docs/STACK.md, "Why DL4J M2 is slow here".
 *
 * <p>Must keep this exact package and name; nothing of ours calls it directly except
 * {@link tasn.model.speed.OneDnnHelpers}, which checks that it is found.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The old {@code Nd4jCpu.Environment}: only what BaseMKLDNNHelper calls. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether ND4J's native library has oneDNN and uses it (the new {@code isUseONEDNN()}). */
        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
