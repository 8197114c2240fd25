package tasn.sample;

import tasn.model.SamplingMagnification;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the export wrote for one image, for the gallery and the summary: its folder under
 * {@code images/}, the picture file names in display order, a line per head and the sampler's
 * peak magnification under the structure and the detail map; or why it has none. A plain
 * class, not a record, holding the magnifications as plain numbers: it comes back from the
 * executors through Kryo, which cannot build records.
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
    /** Rows and columns under the structure map, then under the detail map; NaN when not exported. */
    private final double structureRows;
    private final double structureColumns;
    private final double detailRows;
    private final double detailColumns;

    public ExportedImage(String id, String path, String labelName, String folder, List<String> pictures,
                         List<String> headLines, SamplingMagnification.Peaks structure,
                         SamplingMagnification.Peaks detail, String error) {
        this.id = id;
        this.path = path;
        this.labelName = labelName;
        this.folder = folder;
        this.pictures = new ArrayList<>(pictures);
        this.headLines = new ArrayList<>(headLines);
        this.error = error;
        this.structureRows = structure == null ? Double.NaN : structure.rows();
        this.structureColumns = structure == null ? Double.NaN : structure.columns();
        this.detailRows = detail == null ? Double.NaN : detail.rows();
        this.detailColumns = detail == null ? Double.NaN : detail.columns();
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

    /** The sampler's peak magnification under the structure map, or null for a refused image. */
    public SamplingMagnification.Peaks structureMagnification() {
        return error != null ? null : new SamplingMagnification.Peaks(structureRows, structureColumns);
    }

    /** The sampler's peak magnification under the test-time detail map, or null for a refused image. */
    public SamplingMagnification.Peaks detailMagnification() {
        return error != null ? null : new SamplingMagnification.Peaks(detailRows, detailColumns);
    }
}
