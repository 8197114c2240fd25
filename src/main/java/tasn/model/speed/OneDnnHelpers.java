package tasn.model.speed;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;

/**
 * Switches on DL4J's oneDNN layer helpers (convolution, batch normalisation, pooling), which
 * 1.0.0-M2 leaves off in two ways (docs/STACK.md, "Why DL4J M2 is slow here"):
 * <ol>
 *   <li>the system property {@value #DISABLE_PROPERTY} defaults to {@code true}; DL4J reads it
 *       each time a layer is instantiated, so it must be {@code false} before any network is
 *       built;</li>
 *   <li>the helpers' check looks up a class that ND4J M2 renamed; the stand-in
 *       {@link org.nd4j.nativeblas.Nd4jCpu} answers under the old name.</li>
 * </ol>
 * The native library must also have oneDNN: the pom adds {@code nd4j-native} with a
 * {@code -onednn} classifier.
 */
public final class OneDnnHelpers {

    /** DL4J's switch (DL4JSystemProperties.DISABLE_HELPER_PROPERTY); default {@code true}. */
    public static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private OneDnnHelpers() {
    }

    /**
     * Sets {@value #DISABLE_PROPERTY} to {@code false} unless the user set it explicitly
     * (so {@code -Dorg.eclipse.deeplearning4j.helpers.disable=true} still turns them off).
     *
     * @return whether layers instantiated from now on get oneDNN helpers
     */
    public static boolean switchOn() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
        return active();
    }

    /** Whether layers instantiated now get oneDNN helpers: property allows and check passes. */
    public static boolean active() {
        return allowedByProperty() && BaseMKLDNNHelper.mklDnnEnabled();
    }

    /** Whether {@value #DISABLE_PROPERTY} lets DL4J create helpers at all. */
    public static boolean allowedByProperty() {
        return "false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY, "true"));
    }

    /**
     * Why the helpers are off, for a warning; {@code null} when they are on.
     */
    public static String whyInactive() {
        if (!allowedByProperty()) {
            return "system property " + DISABLE_PROPERTY + " is not 'false'";
        }
        boolean standInFound;
        try {
            Class.forName("org.nd4j.nativeblas.Nd4jCpu$Environment");
            standInFound = true;
        } catch (ClassNotFoundException e) {
            standInFound = false;
        }
        if (!standInFound) {
            return "class org.nd4j.nativeblas.Nd4jCpu$Environment (our stand-in) is not on the classpath";
        }
        boolean nativeHasOneDnn;
        try {
            nativeHasOneDnn = org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        } catch (Throwable t) {
            return "ND4J's native CPU backend did not answer isUseONEDNN(): " + t;
        }
        if (!nativeHasOneDnn) {
            return "ND4J's native library was not built with oneDNN: put nd4j-native with classifier "
                    + "linux-x86_64-onednn on the classpath (the pom does; docs/natives.md)";
        }
        return BaseMKLDNNHelper.mklDnnEnabled() ? null
                : "DL4J's BaseMKLDNNHelper.mklDnnEnabled() is false (native helpers disallowed, or its "
                  + "first check failed before the stand-in was on the classpath)";
    }
}
