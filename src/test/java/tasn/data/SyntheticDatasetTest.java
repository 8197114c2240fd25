package tasn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasn.config.UsageException;

class SyntheticDatasetTest {
    @TempDir
    java.nio.file.Path temp;

    private static SyntheticDataset.Spec spec(int classes, int perClass, int size, long seed, SyntheticDataset.Format format, boolean splits) {
        return new SyntheticDataset.Spec(classes, perClass, size, seed, format, splits);
    }

    private SyntheticDataset.Summary write(SyntheticDataset.Spec spec, java.nio.file.Path dir) throws IOException {
        return new SyntheticDataset(spec).write(new Path(dir.toUri()), new Configuration(), false);
    }

    /** Relative path -> bytes of every file under dir. */
    private static TreeMap<String, byte[]> files(java.nio.file.Path dir) throws IOException {
        TreeMap<String, byte[]> files = new TreeMap<>();
        try (Stream<java.nio.file.Path> walk = Files.walk(dir)) {
            for (java.nio.file.Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    @Test
    void writesTheRequestedClassesAndCountsAsDecodableImages() throws Exception {
        java.nio.file.Path out = temp.resolve("set");
        SyntheticDataset.Summary summary = write(spec(6, 5, 48, 1, SyntheticDataset.Format.JPEG, false), out);
        assertEquals(30, summary.trainImages());
        assertEquals(0, summary.testImages());
        try (Stream<java.nio.file.Path> classes = Files.list(out)) {
            assertEquals(new HashSet<>(summary.classNames()), new HashSet<>(classes.map(p -> p.getFileName().toString()).toList()));
        }
        ImageDecoder decoder = new ImageDecoder(1 << 20);
        TreeMap<String, byte[]> files = files(out);
        assertEquals(30, files.size(), "no side files (.crc) either: " + files.keySet());
        for (String name : summary.classNames()) {
            List<String> inClass = files.keySet().stream().filter(f -> f.startsWith(name + "/")).toList();
            assertEquals(5, inClass.size(), name);
            for (String f : inClass) {
                assertTrue(f.endsWith(".jpg") && ImageExtensions.isImage(f), f);
                RgbImage image = decoder.decode(files.get(f), f);
                assertEquals(48, image.height());
                assertEquals(48, image.width());
            }
        }
    }

    @Test
    void splitsPutAFifthOfEachClassUnderTest() throws Exception {
        java.nio.file.Path out = temp.resolve("split");
        SyntheticDataset.Summary summary = write(spec(3, 10, 32, 1, SyntheticDataset.Format.PNG, true), out);
        assertEquals(24, summary.trainImages());
        assertEquals(6, summary.testImages());
        for (String name : summary.classNames()) {
            try (Stream<java.nio.file.Path> train = Files.list(out.resolve("train").resolve(name));
                 Stream<java.nio.file.Path> test = Files.list(out.resolve("test").resolve(name))) {
                assertEquals(8, train.count());
                assertEquals(2, test.count());
            }
        }
    }

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherSeedOthers() throws Exception {
        write(spec(4, 6, 40, 9, SyntheticDataset.Format.MIXED, true), temp.resolve("a"));
        write(spec(4, 6, 40, 9, SyntheticDataset.Format.MIXED, true), temp.resolve("b"));
        write(spec(4, 6, 40, 10, SyntheticDataset.Format.MIXED, true), temp.resolve("c"));
        TreeMap<String, byte[]> a = files(temp.resolve("a"));
        TreeMap<String, byte[]> b = files(temp.resolve("b"));
        assertEquals(a.keySet(), b.keySet());
        for (String f : a.keySet()) {
            assertArrayEquals(a.get(f), b.get(f), f);
        }
        TreeMap<String, byte[]> c = files(temp.resolve("c"));
        int same = 0;
        for (String f : a.keySet()) {
            if (c.containsKey(f) && java.util.Arrays.equals(a.get(f), c.get(f))) {
                same++;
            }
        }
        assertEquals(0, same);
    }

    @Test
    void mixedFormatWritesBothJpegAndPng() throws Exception {
        write(spec(2, 20, 32, 3, SyntheticDataset.Format.MIXED, false), temp.resolve("m"));
        Set<String> extensions = new HashSet<>();
        for (String f : files(temp.resolve("m")).keySet()) {
            extensions.add(f.substring(f.lastIndexOf('.') + 1));
        }
        assertEquals(Set.of("jpg", "png"), extensions);
    }

    @Test
    void classesDifferOnlyInASmallMarkOnTheBird() {
        int size = 64;
        SyntheticDataset set = new SyntheticDataset(spec(8, 10, size, 5, SyntheticDataset.Format.PNG, false));
        for (int c = 0; c < 8; c++) {
            for (int j = 0; j < 10; j++) {
                RgbImage marked = set.render(c, j, true);
                RgbImage plain = set.render(c, j, false);
                int changed = 0;
                for (int i = 0; i < marked.pixels().length; i += 3) {
                    if (marked.pixels()[i] != plain.pixels()[i] || marked.pixels()[i + 1] != plain.pixels()[i + 1]
                            || marked.pixels()[i + 2] != plain.pixels()[i + 2]) {
                        changed++;
                    }
                }
                double share = (double) changed / (size * size);
                assertTrue(share > 0.002 && share < 0.06, "class " + c + " image " + j + ": the mark covers " + share + " of the image");
            }
        }
    }

    @Test
    void classNamesSayTheMarkAndDiffer() {
        SyntheticDataset set = new SyntheticDataset(spec(12, 1, 32, 5, SyntheticDataset.Format.PNG, false));
        List<String> names = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            names.add(set.className(c));
        }
        assertEquals(12, new HashSet<>(names).size());
        assertEquals("00_spot_hue000", names.get(0));
        assertEquals("05_stripe_hue120", names.get(5));
    }

    @Test
    void aNonEmptyOutputIsRefusedUnlessOverwriting() throws Exception {
        java.nio.file.Path out = temp.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        SyntheticDataset set = new SyntheticDataset(spec(2, 2, 32, 1, SyntheticDataset.Format.JPEG, false));
        UsageException refused = assertThrows(UsageException.class, () -> set.write(new Path(out.toUri()), new Configuration(), false));
        assertTrue(refused.getMessage().contains("--overwrite"), refused.getMessage());
        assertTrue(Files.exists(out.resolve("keep.txt")));
        set.write(new Path(out.toUri()), new Configuration(), true);
        assertFalse(Files.exists(out.resolve("keep.txt")));
        assertEquals(4, files(out).size());
    }

    @Test
    void anEmptyExistingOutputIsUsed() throws Exception {
        java.nio.file.Path out = Files.createDirectories(temp.resolve("empty"));
        write(spec(1, 3, 32, 1, SyntheticDataset.Format.PNG, false), out);
        assertEquals(3, files(out).size());
    }

    @Test
    void badSpecsAreUsageErrors() {
        assertThrows(UsageException.class, () -> spec(0, 5, 64, 1, SyntheticDataset.Format.JPEG, false));
        assertThrows(UsageException.class, () -> spec(5, 0, 64, 1, SyntheticDataset.Format.JPEG, false));
        assertThrows(UsageException.class, () -> spec(5, 5, 8, 1, SyntheticDataset.Format.JPEG, false));
    }
}
