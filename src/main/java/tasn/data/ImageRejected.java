package tasn.data;

/**
 * A listed file that cannot become an image. {@link #reason()} is a short stable code for the
 * rejects list: {@code empty-file}, {@code truncated}, {@code not-an-image},
 * {@code unsupported-format}, {@code too-many-pixels} or {@code decode-failed};
 * {@link #getMessage()} is the human detail, naming the file.
 */
public final class ImageRejected extends Exception {
    public static final String EMPTY_FILE = "empty-file";
    public static final String TRUNCATED = "truncated";
    public static final String NOT_AN_IMAGE = "not-an-image";
    public static final String UNSUPPORTED_FORMAT = "unsupported-format";
    public static final String TOO_MANY_PIXELS = "too-many-pixels";
    public static final String DECODE_FAILED = "decode-failed";

    private final String reason;

    public ImageRejected(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageRejected(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
