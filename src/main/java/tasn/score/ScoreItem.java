package tasn.score;

import java.io.Serializable;

/**
 * One image to score, as the executors receive it. {@code kind} says what {@code bytes} hold:
 * <ul>
 *   <li>null: nothing yet; the file at {@code path} is read, decoded and given the evaluation view;</li>
 *   <li>{@value #FILE}: the file's own bytes (a DataFrame's {@code content} column), decoded the same way;</li>
 *   <li>raw, jpeg or png: a shard row's pixels, already the evaluation view, {@code height} x {@code width}.</li>
 * </ul>
 * A plain class, not a record: it travels in RDDs, and Kryo (the project's Spark serializer)
 * cannot build records, whose fields the JVM does not let it set.
 */
public final class ScoreItem implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String FILE = "file";

    private final String id;
    private final String path;
    private final String labelName;
    private final int label;
    private final String reject;
    private final byte[] bytes;
    private final String kind;
    private final int height;
    private final int width;

    /**
     * @param label  the true class as the model's class index, or -1 when unknown
     * @param reject why the listing already refused the file, or null
     */
    public ScoreItem(String id, String path, String labelName, int label, String reject, byte[] bytes, String kind,
                     int height, int width) {
        this.id = id;
        this.path = path;
        this.labelName = labelName;
        this.label = label;
        this.reject = reject;
        this.bytes = bytes;
        this.kind = kind;
        this.height = height;
        this.width = width;
    }

    static ScoreItem listed(String id, String path, String labelName, int label, String reject) {
        return new ScoreItem(id, path, labelName, label, reject, null, null, 0, 0);
    }

    static ScoreItem fileBytes(String id, String path, byte[] content) {
        return new ScoreItem(id, path, null, -1, null, content, FILE, 0, 0);
    }

    public String id() {
        return id;
    }

    public String path() {
        return path;
    }

    public String labelName() {
        return labelName;
    }

    public int label() {
        return label;
    }

    public String reject() {
        return reject;
    }

    public byte[] bytes() {
        return bytes;
    }

    public String kind() {
        return kind;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }
}
