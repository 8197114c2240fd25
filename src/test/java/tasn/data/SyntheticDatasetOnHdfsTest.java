package tasn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator writes through Hadoop's FileSystem API, so an hdfs:// output works like a local one. */
class SyntheticDatasetOnHdfsTest {
    @TempDir
    java.nio.file.Path temp;

    @Test
    void writesADecodableSetToHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, temp.toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            Path output = new Path(cluster.getFileSystem().getUri().toString() + "/data/synthetic");
            SyntheticDataset.Summary summary = new SyntheticDataset(new SyntheticDataset.Spec(3, 5, 32, 4, SyntheticDataset.Format.MIXED, true))
                    .write(output, cluster.getConfiguration(0), false);
            assertEquals(12, summary.trainImages());
            assertEquals(3, summary.testImages());
            FileSystem fs = cluster.getFileSystem();
            ImageDecoder decoder = new ImageDecoder(1 << 20);
            int files = 0;
            RemoteIterator<LocatedFileStatus> listing = fs.listFiles(output, true);
            while (listing.hasNext()) {
                LocatedFileStatus file = listing.next();
                try (InputStream in = fs.open(file.getPath())) {
                    RgbImage image = decoder.decode(in.readAllBytes(), file.getPath().toString());
                    assertEquals(32, image.width());
                }
                assertTrue(file.getPath().getParent().getParent().getName().matches("train|test"), file.getPath().toString());
                files++;
            }
            assertEquals(15, files);
        } finally {
            cluster.shutdown();
        }
    }
}
