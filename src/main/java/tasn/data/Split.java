package tasn.data;

import java.util.Locale;

/** The three splits a data set is written in; each is a folder of Parquet shards (OUT/train, ...). */
public enum Split {
    TRAIN,
    VAL,
    TEST;

    /** The folder and column value: {@code train}, {@code val}, {@code test}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The split a folder name or list value names, or null when it names none. */
    public static Split fromKey(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "train" -> TRAIN;
            case "val", "validation" -> VAL;
            case "test" -> TEST;
            default -> null;
        };
    }
}
