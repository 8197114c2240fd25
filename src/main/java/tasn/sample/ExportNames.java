package tasn.sample;

import java.util.Locale;

/**
 * Safe names for an image's export folder: the file name's stem reduced to letters, digits,
 * '-' and '_' (at most 40 of them; nothing of a label or a path can climb out of the output
 * folder or collide), then the image id, which is unique per input file.
 */
final class ExportNames {
    private static final int MAX_STEM = 40;

    private ExportNames() {
    }

    static String folder(String path, String id) {
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        StringBuilder safe = new StringBuilder();
        for (int i = 0; i < stem.length() && safe.length() < MAX_STEM; i++) {
            char c = stem.charAt(i);
            safe.append((c < 128 && Character.isLetterOrDigit(c)) || c == '-' || c == '_' ? c : '_');
        }
        String cleanId = id.toLowerCase(Locale.ROOT).replaceAll("[^0-9a-z]", "");
        return safe.length() == 0 ? cleanId : safe + "-" + cleanId;
    }
}
