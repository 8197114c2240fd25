package tasn.score;

import java.io.Serializable;

/**
 * One image to score, as the executors receive it. {@code kind} says what {@code bytes} hold:
 * <ul>
 *   <li>null: nothing yet; the file at {@code path} is read, decoded and given the evaluation view;</li>
 *   <li>{@value #FILE}: the file's own bytes (a DataFrame's {@code content} column), decoded the same way;</li>
 *   <li>raw, jpeg or png: a shard row's pixels, already the evaluation view, {@code height} x {@code width}.</li>
 * </ul>
 *
 * @param label  the true class as the model's class index, or -1 when unknown
 * @param reject why the listing already refused the file, or null
 */
public record ScoreItem(String id, String path, String labelName, int label, String reject,
                        byte[] bytes, String kind, int height, int width) implements Serializable {
    public static final String FILE = "file";

    static ScoreItem listed(String id, String path, String labelName, int label, String reject) {
        return new ScoreItem(id, path, labelName, label, reject, null, null, 0, 0);
    }

    static ScoreItem fileBytes(String id, String path, byte[] content) {
        return new ScoreItem(id, path, null, -1, null, content, FILE, 0, 0);
    }
}
