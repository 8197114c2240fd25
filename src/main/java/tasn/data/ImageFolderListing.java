package tasn.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import tasn.config.DataConfig;
import tasn.config.UsageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The imagefolder layout: {@code root/<class>/...} or {@code root/<split>/<class>/...} with
 * split folders named train, val (or validation) and test. Files under a class folder are
 * taken recursively and labelled with that folder's name. An image file outside any class
 * folder is listed and rejected ({@code no-class-folder}); a non-image file anywhere is ignored.
 */
final class ImageFolderListing {
    private ImageFolderListing() {
    }

    static ImageListing list(String input, Configuration hadoop, DataConfig data, long seed) {
        FileStatus rootStatus = InputPaths.status(input, hadoop);
        if (!rootStatus.isDirectory()) {
            throw new UsageException("--input " + input + ": is a file; the imagefolder layout needs a folder "
                    + "root/<class>/* or root/<split>/<class>/* (use --layout list for a CSV/TSV list)");
        }
        Path root = rootStatus.getPath();
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            ListingBuilder builder = new ListingBuilder(root.toString());
            FileStatus[] top = sorted(fs.listStatus(root));
            List<FileStatus> dirs = Arrays.stream(top).filter(FileStatus::isDirectory).toList();
            List<FileStatus> splitDirs = dirs.stream().filter(d -> Split.fromKey(d.getPath().getName()) != null).toList();
            if (dirs.isEmpty()) {
                throw new UsageException("--input " + input + ": has no class folders; the imagefolder layout is "
                        + "root/<class>/* or root/<split>/<class>/*");
            }
            if (!splitDirs.isEmpty() && splitDirs.size() != dirs.size()) {
                throw new UsageException("--input " + input + ": mixes split folders (" + names(splitDirs)
                        + ") with other folders; use either root/<class>/* or root/<split>/<class>/* with splits train, val, test");
            }
            if (splitDirs.isEmpty()) {
                listClasses(fs, root, top, null, builder);
            } else {
                listLooseFiles(root, top, builder);
                for (FileStatus splitDir : splitDirs) {
                    Split split = Split.fromKey(splitDir.getPath().getName());
                    listClasses(fs, root, sorted(fs.listStatus(splitDir.getPath())), split, builder);
                }
            }
            return builder.build(null, seed, data.valFraction());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list --input " + input + ": " + e.getMessage(), e);
        }
    }

    /** Lists every class folder among {@code children}; loose files beside them have no class. */
    private static void listClasses(FileSystem fs, Path root, FileStatus[] children, Split split, ListingBuilder builder)
            throws IOException {
        listLooseFiles(root, children, builder);
        for (FileStatus classDir : children) {
            if (!classDir.isDirectory()) {
                continue;
            }
            String label = classDir.getPath().getName();
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(classDir.getPath(), true);
            while (files.hasNext()) {
                Path file = files.next().getPath();
                if (ImageExtensions.isImage(file.getName())) {
                    builder.add(file.toString(), InputPaths.relative(root, file), label, split, null);
                } else {
                    builder.ignore();
                }
            }
        }
    }

    private static void listLooseFiles(Path root, FileStatus[] children, ListingBuilder builder) {
        for (FileStatus child : children) {
            if (child.isDirectory()) {
                continue;
            }
            Path file = child.getPath();
            if (ImageExtensions.isImage(file.getName())) {
                builder.add(file.toString(), InputPaths.relative(root, file), null, null, "no-class-folder");
            } else {
                builder.ignore();
            }
        }
    }

    private static FileStatus[] sorted(FileStatus[] statuses) {
        FileStatus[] copy = statuses.clone();
        Arrays.sort(copy, Comparator.comparing(s -> s.getPath().getName()));
        return copy;
    }

    private static String names(List<FileStatus> dirs) {
        List<String> names = new ArrayList<>();
        for (FileStatus d : dirs) {
            names.add(d.getPath().getName());
        }
        return String.join(", ", names);
    }
}
