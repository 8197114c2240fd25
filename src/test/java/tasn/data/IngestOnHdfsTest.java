package tasn.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasn.config.ConfigLoader;
import tasn.config.TasnConfig;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ingest reads its input from and commits its output to HDFS (a MiniDFSCluster), as on a cluster. */
class IngestOnHdfsTest {
    @TempDir
    java.nio.file.Path temp;

    @Test
    void ingestsAnHdfsImageFolderAndAnHdfsListIntoHdfsShards() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, temp.toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        SparkSession spark = SparkSession.builder().master("local[2]").appName("IngestOnHdfsTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        try {
            cluster.waitActive();
            FileSystem fs = cluster.getFileSystem();
            String hdfs = fs.getUri().toString();
            Path images = new Path(hdfs + "/data/synthetic");
            new SyntheticDataset(new SyntheticDataset.Spec(3, 5, 40, 4, SyntheticDataset.Format.MIXED, true))
                    .write(images, cluster.getConfiguration(0), false);
            try (OutputStream out = fs.create(new Path(hdfs + "/data/notes.txt"))) {
                out.write("not an image".getBytes(StandardCharsets.UTF_8));
            }
            TasnConfig config = ConfigLoader.load("tiny", List.of("data.raw-size = 24", "data.min-files = 2"));

            IngestJob.Summary folder = new IngestJob(spark).run(new IngestJob.Request(
                    images.toString(), InputLayout.IMAGEFOLDER, hdfs + "/shards/folder", false, config));

            assertEquals(15, folder.listed());
            assertEquals(15, folder.written());
            JsonNode dataset;
            try (InputStream in = fs.open(new Path(hdfs + "/shards/folder/dataset.json"))) {
                dataset = new ObjectMapper().readTree(in);
            }
            assertEquals(3, dataset.get("classes").size());
            assertEquals(15, spark.read().parquet(hdfs + "/shards/folder/train", hdfs + "/shards/folder/val",
                    hdfs + "/shards/folder/test").count());
            assertFalse(fs.exists(new Path(hdfs + "/shards/.folder.tmp-x")));
            assertEquals(1, fs.listStatus(new Path(hdfs + "/shards")).length, "only the committed output remains");

            // A list on HDFS naming images by hdfs:// URI and by a path relative to the list.
            String oneTrain = firstImage(fs, new Path(images, "train"));
            String relative = oneTrain.substring(oneTrain.indexOf("/data/") + "/data/".length());
            try (OutputStream out = fs.create(new Path(hdfs + "/data/list.tsv"))) {
                out.write(("path\tlabel\n" + oneTrain + "\tbird\n" + relative.replace("train", "test") + "\tbird\n"
                        + relative + "\tbird\n").getBytes(StandardCharsets.UTF_8));
            }
            IngestJob.Summary list = new IngestJob(spark).run(new IngestJob.Request(
                    hdfs + "/data/list.tsv", InputLayout.LIST, hdfs + "/shards/list", false, config));
            assertEquals(3, list.listed());
            assertEquals(list.listed(), list.written() + list.rejected());
            List<String> rejects;
            try (InputStream in = fs.open(new Path(hdfs + "/shards/list/rejects.csv"))) {
                rejects = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
            }
            assertTrue(rejects.stream().skip(1).allMatch(r -> r.endsWith(",missing-file") || r.endsWith(",duplicate")),
                    String.join("\n", rejects));
            assertArrayEquals(new long[]{1}, new long[]{rejects.stream().filter(r -> r.endsWith(",duplicate")).count()},
                    "the same file by URI and by relative path is one image");
        } finally {
            spark.stop();
            cluster.shutdown();
        }
    }

    private static String firstImage(FileSystem fs, Path under) throws java.io.IOException {
        var files = fs.listFiles(under, true);
        while (files.hasNext()) {
            Path p = files.next().getPath();
            if (ImageExtensions.isImage(p.getName())) {
                return p.toString();
            }
        }
        throw new AssertionError("no image under " + under);
    }
}
