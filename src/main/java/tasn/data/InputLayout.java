package tasn.data;

import tasn.config.UsageException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an ingest input is organised.
 * <ul>
 *   <li>{@code imagefolder}: {@code root/<class>/*} or {@code root/<split>/<class>/*} (splits train, val, test);</li>
 *   <li>{@code cub}: the official CUB_200_2011 layout (images.txt, classes.txt, image_class_labels.txt,
 *       train_test_split.txt beside an images/ folder);</li>
 *   <li>{@code list}: a CSV or TSV file with a header {@code path,label[,split]}.</li>
 * </ul>
 */
public enum InputLayout {
    IMAGEFOLDER,
    CUB,
    LIST;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the {@code --layout} value; anything else is a usage error naming the choices. */
    public static InputLayout parse(String value) {
        for (InputLayout layout : values()) {
            if (layout.key().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return layout;
            }
        }
        throw new UsageException("--layout " + value + ": unknown layout; use one of "
                + Arrays.stream(values()).map(InputLayout::key).collect(Collectors.joining(", ")));
    }
}
