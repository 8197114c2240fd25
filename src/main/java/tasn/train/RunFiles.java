package tasn.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Small files of the run directory on any Hadoop file system, each replaced whole: written
 * to a temporary name beside it, then renamed over it, so a reader never sees half a file.
 */
final class RunFiles {
    private RunFiles() {
    }

    static void replace(FileSystem fs, Path file, byte[] content) throws IOException {
        Path temp = new Path(file.getParent(), "." + file.getName() + ".tmp");
        try (FSDataOutputStream out = fs.create(temp, true)) {
            out.write(content);
        }
        if (fs.exists(file) && !fs.delete(file, false)) {
            throw new IOException("cannot replace " + file);
        }
        if (!fs.rename(temp, file)) {
            throw new IOException("cannot rename " + temp + " to " + file);
        }
    }

    static void replace(FileSystem fs, Path file, String content) throws IOException {
        replace(fs, file, content.getBytes(StandardCharsets.UTF_8));
    }

    static String readText(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static FileSystem fileSystem(Path path, Configuration hadoop) throws IOException {
        return path.getFileSystem(hadoop);
    }
}
