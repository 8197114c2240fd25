package tasn.model;

import java.util.Locale;

/**
 * The parts of the TASN graph, told apart by the prefix of their vertex names, so that a
 * saved graph explains itself and parameters can be counted per part.
 */
public enum Branch {
    /** The attention head: the shared-weight dilated convolutions and the classifier's BN. */
    ATTENTION_HEAD("att_head_"),
    /** The attention net's trunk (pre-activation ResNet). */
    ATTENTION_NET("att_"),
    /** The shared master/part backbone. */
    BACKBONE("backbone_"),
    /** The classifiers (fc layers) and the loss outputs. */
    HEADS("head_"),
    /** Parameter-free plumbing: resize, trilinear attention, maps, samplers, stacking. */
    PLUMBING("");

    private final String prefix;

    Branch(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** The branch a vertex belongs to, by its name's prefix (the longest matching one). */
    public static Branch of(String vertexName) {
        for (Branch b : values()) {
            if (vertexName.startsWith(b.prefix)) {
                return b;
            }
        }
        return PLUMBING;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
