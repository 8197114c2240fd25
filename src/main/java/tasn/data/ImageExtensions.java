package tasn.data;

import java.util.Locale;
import java.util.Set;

/** The file-name extensions a listing treats as images: exactly the formats ImageDecoder decodes. */
public final class ImageExtensions {
    /** Lower-case, without the dot. */
    public static final Set<String> SUPPORTED = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp");

    private ImageExtensions() {
    }

    /** True when the name ends in a supported extension, in any letter case ("a/B.JPG"). */
    public static boolean isImage(String fileName) {
        int dot = fileName.lastIndexOf('.');
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        if (dot < 0 || dot < slash || dot == fileName.length() - 1) {
            return false;
        }
        return SUPPORTED.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
