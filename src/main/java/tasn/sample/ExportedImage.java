package tasn.sample;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the export wrote for one image, for the gallery: its folder under {@code images/},
 * the picture file names in display order, and a line per head; or why it has none. A plain
 * class, not a record: it comes back from the executors through Kryo, which cannot build records.
 */
public final class ExportedImage implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final String path;
    private final String labelName;
    private final String folder;
    private final ArrayList<String> pictures;
    private final ArrayList<String> headLines;
    private final String error;

    public ExportedImage(String id, String path, String labelName, String folder, List<String> pictures,
                         List<String> headLines, String error) {
        this.id = id;
        this.path = path;
        this.labelName = labelName;
        this.folder = folder;
        this.pictures = new ArrayList<>(pictures);
        this.headLines = new ArrayList<>(headLines);
        this.error = error;
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

    public String folder() {
        return folder;
    }

    public List<String> pictures() {
        return pictures;
    }

    public List<String> headLines() {
        return headLines;
    }

    public String error() {
        return error;
    }
}
