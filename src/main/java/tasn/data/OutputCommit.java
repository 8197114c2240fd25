package tasn.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tasn.config.UsageException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * Writes an output folder atomically: everything goes to a hidden sibling
 * {@code .<name>.tmp-<uuid>}, which is renamed to {@code <name>} only when complete. With
 * overwrite, the old folder is first renamed aside to {@code .<name>.old-<uuid>} and deleted
 * after the swap. A killed run therefore leaves either the previous output or none, never a
 * half-written one; its leftovers (hidden {@code .tmp-} and {@code .old-} siblings) are
 * deleted when the next run to the same output begins. Two runs writing the same output at
 * the same time are not supported.
 */
public final class OutputCommit {
    private static final Logger LOG = LoggerFactory.getLogger(OutputCommit.class);

    private final FileSystem fs;
    private final Path output;
    private final Path temp;
    private final boolean overwrite;

    private OutputCommit(FileSystem fs, Path output, Path temp, boolean overwrite) {
        this.fs = fs;
        this.output = output;
        this.temp = temp;
        this.overwrite = overwrite;
    }

    /** The qualified output path; a usage error when it exists and {@code overwrite} is false. */
    public static Path checkOutput(String output, boolean overwrite, Configuration hadoop) {
        if (output == null || output.isBlank()) {
            throw new UsageException("--output: give the folder to write the shards to");
        }
        try {
            Path path = new Path(output);
            FileSystem fs = path.getFileSystem(hadoop);
            Path qualified = fs.makeQualified(path);
            if (qualified.getParent() == null) {
                throw new UsageException("--output " + output + ": cannot write to a file system root; name a folder");
            }
            if (!overwrite && fs.exists(qualified)) {
                throw new UsageException("--output " + output + ": already exists; remove it, choose another folder, "
                        + "or add --overwrite to replace it");
            }
            return qualified;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check --output " + output + ": " + e.getMessage(), e);
        }
    }

    /** What a job writes into the temporary folder, returning its result. */
    @FunctionalInterface
    public interface Writer<T> {
        T write(Path temp) throws IOException;
    }

    /**
     * The whole protocol for one job: {@link #begin}, {@code writer} into the temporary folder,
     * {@link #commit}; on any failure the temporary folder is deleted ({@link #abort}) and an
     * IOException becomes an UncheckedIOException naming {@code outputOption} or the output.
     */
    public static <T> T write(Path output, String outputOption, boolean overwrite, Configuration hadoop,
                              Writer<T> writer) {
        OutputCommit commit;
        try {
            commit = begin(output, overwrite, hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare --output " + outputOption + ": " + e.getMessage(), e);
        }
        try {
            T result = writer.write(commit.temp());
            commit.commit();
            return result;
        } catch (IOException e) {
            commit.abort();
            throw new UncheckedIOException("writing " + output + " failed: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            commit.abort();
            throw e;
        }
    }

    /** Cleans the leftovers of killed runs and creates a fresh temporary folder. */
    public static OutputCommit begin(Path output, boolean overwrite, Configuration hadoop) throws IOException {
        FileSystem fs = output.getFileSystem(hadoop);
        Path parent = output.getParent();
        fs.mkdirs(parent);
        for (Path stale : leftovers(fs, output)) {
            LOG.info("deleting {} left by an earlier run that did not finish", stale);
            fs.delete(stale, true);
        }
        Path temp = new Path(parent, "." + output.getName() + ".tmp-" + UUID.randomUUID());
        if (!fs.mkdirs(temp)) {
            throw new IOException("cannot create " + temp);
        }
        return new OutputCommit(fs, output, temp, overwrite);
    }

    /** Where the job writes; becomes the output on {@link #commit()}. */
    public Path temp() {
        return temp;
    }

    /** Renames the temporary folder to the output, replacing an old one when overwriting. */
    public void commit() throws IOException {
        Path aside = null;
        if (fs.exists(output)) {
            if (!overwrite) {
                throw new UsageException("--output " + output + ": appeared while the job was running; its new "
                        + "output is discarded; give another --output, or --overwrite to replace it");
            }
            aside = new Path(output.getParent(), "." + output.getName() + ".old-" + UUID.randomUUID());
            if (!fs.rename(output, aside)) {
                throw new IOException("cannot move the old " + output + " aside to " + aside);
            }
        }
        if (!fs.rename(temp, output)) {
            throw new IOException("cannot rename " + temp + " to " + output
                    + (aside == null ? "" : "; the previous output is kept in " + aside));
        }
        if (aside != null) {
            fs.delete(aside, true);
        }
    }

    /** Deletes the temporary folder after a failure. */
    public void abort() {
        try {
            fs.delete(temp, true);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", temp, e.toString());
        }
    }

    private static Path[] leftovers(FileSystem fs, Path output) throws IOException {
        String tmpPrefix = "." + output.getName() + ".tmp-";
        String oldPrefix = "." + output.getName() + ".old-";
        try {
            FileStatus[] siblings = fs.listStatus(output.getParent(),
                    p -> p.getName().startsWith(tmpPrefix) || p.getName().startsWith(oldPrefix));
            Path[] paths = new Path[siblings.length];
            for (int i = 0; i < siblings.length; i++) {
                paths[i] = siblings[i].getPath();
            }
            return paths;
        } catch (FileNotFoundException e) {
            return new Path[0];
        }
    }
}
