package tasn.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import tasn.config.DataConfig;
import tasn.config.UsageException;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The official CUB_200_2011 layout: {@code images.txt} ("id relative/path.jpg" under
 * {@code images/}), {@code classes.txt} ("id name"), {@code image_class_labels.txt}
 * ("image-id class-id") and {@code train_test_split.txt} ("image-id 1|0", 1 = train); ids are
 * 1-based and the files space-separated. CUB has train and test; val is carved from train by
 * {@link ValidationSplit}. A malformed or missing metadata file is a usage error naming the
 * file and line; an image whose label or split is missing, or whose class id classes.txt does
 * not know, is listed and rejected ({@code no-label}, {@code no-split}, {@code unknown-class});
 * an image file that images.txt names but that does not exist is rejected by the executor
 * ({@code missing-file}). Image files that images.txt does not name are not listed.
 */
final class CubListing {
    private CubListing() {
    }

    static ImageListing list(String input, Configuration hadoop, DataConfig data, long seed) {
        FileStatus rootStatus = InputPaths.status(input, hadoop);
        if (!rootStatus.isDirectory()) {
            throw new UsageException("--input " + input + ": is a file; the cub layout needs the CUB_200_2011 folder "
                    + "(with images.txt, classes.txt, image_class_labels.txt, train_test_split.txt and images/)");
        }
        Path root = rootStatus.getPath();
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            Map<String, String> images = readPairs(fs, root, "images.txt", "<image id> <path under images/>");
            Map<String, String> classes = readPairs(fs, root, "classes.txt", "<class id> <class name>");
            Map<String, String> labels = readPairs(fs, root, "image_class_labels.txt", "<image id> <class id>");
            Map<String, String> splits = readPairs(fs, root, "train_test_split.txt", "<image id> <1 for train, 0 for test>");

            ListingBuilder builder = new ListingBuilder(root.toString());
            for (Map.Entry<String, String> image : images.entrySet()) {
                String relative = "images/" + image.getValue();
                Path file = new Path(root, relative);
                if (!ImageExtensions.isImage(file.getName())) {
                    builder.ignore();
                    continue;
                }
                String classId = labels.get(image.getKey());
                String splitFlag = splits.get(image.getKey());
                String className = classId == null ? null : classes.get(classId);
                String reason = null;
                Split split = null;
                if (classId == null) {
                    reason = "no-label";
                } else if (className == null) {
                    reason = "unknown-class";
                } else if (splitFlag == null) {
                    reason = "no-split";
                } else if (splitFlag.equals("1")) {
                    split = Split.TRAIN;
                } else if (splitFlag.equals("0")) {
                    split = Split.TEST;
                } else {
                    reason = "bad-split";
                }
                builder.add(file.toString(), relative, className, split == null ? Split.TRAIN : split, reason);
            }
            return builder.build(new ArrayList<>(classes.values()), seed, data.valFraction());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CUB metadata under --input " + input + ": " + e.getMessage(), e);
        }
    }

    /** Reads "key value" lines in file order; blank lines are skipped, a repeated key is an error. */
    private static Map<String, String> readPairs(FileSystem fs, Path root, String name, String format) throws IOException {
        Path file = new Path(root, name);
        Map<String, String> pairs = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String[] parts = trimmed.split("\\s+", 2);
                if (parts.length != 2 || !parts[0].matches("\\d+")) {
                    throw new UsageException(file + " line " + number + ": expected \"" + format + "\", found \""
                            + line + "\"");
                }
                if (pairs.put(parts[0], parts[1].strip()) != null) {
                    throw new UsageException(file + " line " + number + ": id " + parts[0] + " appears twice");
                }
            }
        } catch (FileNotFoundException e) {
            throw new UsageException("--input " + root + ": " + name + " is missing; the cub layout needs "
                    + "images.txt, classes.txt, image_class_labels.txt and train_test_split.txt (CUB_200_2011)");
        }
        return pairs;
    }
}
