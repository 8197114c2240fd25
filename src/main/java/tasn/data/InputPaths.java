package tasn.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import tasn.config.UsageException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Resolving the {@code --input} path on its Hadoop file system, with errors that name it. */
final class InputPaths {
    private InputPaths() {
    }

    /** The qualified status of {@code --input}, or a usage error when it does not exist. */
    static FileStatus status(String input, Configuration hadoop) {
        if (input == null || input.isBlank()) {
            throw new UsageException("--input: give the folder or list file to ingest");
        }
        Path path = new Path(input);
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            return fs.getFileStatus(fs.makeQualified(path));
        } catch (FileNotFoundException e) {
            throw new UsageException("--input " + input + ": no such file or directory");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --input " + input + ": " + e.getMessage(), e);
        }
    }

    /** {@code child} relative to {@code root}, with '/' separators. */
    static String relative(Path root, Path child) {
        String r = root.toUri().getPath();
        String c = child.toUri().getPath();
        String prefix = r.endsWith("/") ? r : r + "/";
        if (!c.startsWith(prefix)) {
            throw new IllegalArgumentException(child + " is not under " + root);
        }
        return c.substring(prefix.length());
    }
}
