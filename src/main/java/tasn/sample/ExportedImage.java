package tasn.sample;

import java.io.Serializable;
import java.util.List;

/**
 * What the export wrote for one image, for the gallery: its folder under {@code images/},
 * the picture file names in display order, and a line per head; or why it has none.
 */
public record ExportedImage(String id, String path, String labelName, String folder, List<String> pictures,
                            List<String> headLines, String error) implements Serializable {
}
