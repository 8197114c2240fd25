package tasn.score;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import tasn.config.DataConfig.PixelEncoding;
import tasn.data.ImageDecoder;
import tasn.data.ImageRejected;
import tasn.data.ImageViews;
import tasn.data.PixelCodec;
import tasn.data.RgbImage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Locale;

/**
 * The model's view of one {@link ScoreItem}: for a file, read it, decode it
 * ({@link ImageDecoder}) and take the deterministic evaluation view ({@link ImageViews#evalView})
 * exactly as ingest does for val and test images; for a shard row, decode its stored view.
 * A failure is a {@link Refused} with a short reason, never an exception that stops the job.
 */
public final class EvalViews {
    /** Why an item got no view: a stable short code and the detail. */
    public static final class Refused extends Exception {
        public final String reason;

        Refused(String reason, String detail) {
            super(detail);
            this.reason = reason;
        }
    }

    private final ImageDecoder decoder;
    private final int rawSize;
    private final Configuration hadoop;

    public EvalViews(long maxPixels, int rawSize, Configuration hadoop) {
        this.decoder = new ImageDecoder(maxPixels);
        this.rawSize = rawSize;
        this.hadoop = hadoop;
    }

    public RgbImage view(ScoreItem item) throws Refused {
        if (item.reject() != null) {
            throw new Refused(item.reject(), item.path() + ": refused by the listing (" + item.reject() + ")");
        }
        if (item.kind() != null && !ScoreItem.FILE.equals(item.kind())) {
            return storedView(item);
        }
        byte[] bytes = item.kind() == null ? read(item.path()) : item.bytes();
        RgbImage decoded;
        try {
            decoded = decoder.decode(bytes, item.path() == null ? item.id() : new Path(item.path()).getName());
        } catch (ImageRejected e) {
            throw new Refused(e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            throw new Refused(ImageRejected.DECODE_FAILED, item.path() + ": " + e);
        }
        return ImageViews.evalView(decoded, rawSize);
    }

    private RgbImage storedView(ScoreItem item) throws Refused {
        if (item.height() != rawSize || item.width() != rawSize) {
            throw new Refused("wrong-size", item.path() + ": the shard view is " + item.height() + "x" + item.width()
                    + ", the model takes " + rawSize + "x" + rawSize);
        }
        try {
            PixelEncoding encoding = PixelEncoding.valueOf(item.kind().toUpperCase(Locale.ROOT));
            return PixelCodec.decode(item.bytes(), encoding, item.height(), item.width());
        } catch (RuntimeException e) {
            throw new Refused("corrupt-pixels", item.path() + ": " + e.getMessage());
        }
    }

    private byte[] read(String pathString) throws Refused {
        try {
            Path path = new Path(pathString);
            FileSystem fs = path.getFileSystem(hadoop);
            FileStatus status = fs.getFileStatus(path);
            if (status.isDirectory() || status.getLen() > Integer.MAX_VALUE - 16) {
                throw new Refused("not-a-file", pathString + ": a folder or a file too large for one array");
            }
            try (FSDataInputStream in = fs.open(path)) {
                return in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            throw new Refused("missing-file", pathString + ": no longer exists");
        } catch (IOException e) {
            throw new Refused("read-failed", pathString + ": " + e.getMessage());
        }
    }
}
