package tasn.score;

import tasn.config.UsageException;
import tasn.data.InputLayout;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the score and sample jobs read: raw images in one of the ingest layouts (listed by the
 * ingest job's own listing), an ingest output ({@code shards}: its val and test rows, the
 * deterministic evaluation views), or a folder of images without labels ({@code unlabeled},
 * taken recursively).
 */
public enum ScoreLayout {
    IMAGEFOLDER,
    CUB,
    LIST,
    SHARDS,
    UNLABELED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The ingest layout of a raw-image input, or null for shards and unlabeled folders. */
    InputLayout ingestLayout() {
        return switch (this) {
            case IMAGEFOLDER -> InputLayout.IMAGEFOLDER;
            case CUB -> InputLayout.CUB;
            case LIST -> InputLayout.LIST;
            case SHARDS, UNLABELED -> null;
        };
    }

    /** Parses {@code --layout}; anything else is a usage error naming the choices. */
    public static ScoreLayout parse(String value) {
        for (ScoreLayout layout : values()) {
            if (layout.key().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return layout;
            }
        }
        throw new UsageException("--layout " + value + ": unknown layout; use one of "
                + Arrays.stream(values()).map(ScoreLayout::key).collect(Collectors.joining(", ")));
    }
}
