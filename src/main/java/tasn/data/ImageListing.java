package tasn.data;

import org.apache.hadoop.conf.Configuration;
import tasn.config.DataConfig;

import java.util.List;

/**
 * What the driver found under an ingest input: every image file to decode (or already
 * rejected with a reason), the class names in label-index order, and how many other files
 * were ignored (no image extension: .DS_Store, Thumbs.db, notes.txt, ...).
 *
 * <p>Class order: the class names sorted, by number when every name is an integer and by
 * string (Unicode code points) otherwise; for CUB that is the order of the 1-based ids in
 * classes.txt, because its names start with a zero-padded id.
 *
 * <p>Splits: a layout's own train/val/test is kept. An image without a split (imagefolder
 * without split folders, a list without a split column or with an empty split value) goes to
 * train or val by {@link ValidationSplit}; and when the input names no validation image at
 * all (CUB, or an imagefolder with only train/ and test/), its train images are split the
 * same way, so every data set has a val split unless {@code data.val-fraction = 0}.
 */
public record ImageListing(String root, List<ListedImage> images, List<String> classes, long ignored) {

    /** Lists {@code input} in the given layout with Hadoop's FileSystem API. */
    public static ImageListing list(String input, InputLayout layout, Configuration hadoop, DataConfig data, long seed) {
        return switch (layout) {
            case IMAGEFOLDER -> ImageFolderListing.list(input, hadoop, data, seed);
            case CUB -> CubListing.list(input, hadoop, data, seed);
            case LIST -> FileListListing.list(input, hadoop, data, seed);
        };
    }

    public long listed() {
        return images.size();
    }
}
