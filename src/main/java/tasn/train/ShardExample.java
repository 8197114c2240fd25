package tasn.train;

import java.io.Serializable;

/**
 * One shard row as training reads it (columns of tasn.data.ShardSchema): the image id, its
 * class index, which augmentation copy it is, and its encoded pixels. A plain class, not a
 * record, because Spark's Kryo cannot write records' fields.
 */
public final class ShardExample implements Serializable {
    private final String id;
    private final int label;
    private final int copy;
    private final int height;
    private final int width;
    private final String encoding;
    private final byte[] pixels;

    public ShardExample(String id, int label, int copy, int height, int width, String encoding, byte[] pixels) {
        this.id = id;
        this.label = label;
        this.copy = copy;
        this.height = height;
        this.width = width;
        this.encoding = encoding;
        this.pixels = pixels;
    }

    public String id() {
        return id;
    }

    public int label() {
        return label;
    }

    public int copy() {
        return copy;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public String encoding() {
        return encoding;
    }

    public byte[] pixels() {
        return pixels;
    }
}
