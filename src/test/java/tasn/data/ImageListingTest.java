package tasn.data;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasn.config.ConfigLoader;
import tasn.config.TasnConfig;
import tasn.config.UsageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver-side listing of every layout, without Spark. */
class ImageListingTest {
    private static final Configuration HADOOP = new Configuration();

    @TempDir
    Path dir;

    private static TasnConfig config(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    private static ImageListing list(Path input, InputLayout layout, TasnConfig config) {
        return ImageListing.list(input.toString(), layout, HADOOP, config.data(), config.seed());
    }

    private static Map<String, ListedImage> byRelativePath(ImageListing listing) {
        return listing.images().stream().collect(Collectors.toMap(ListedImage::relativePath, Function.identity()));
    }

    @Test
    void imageFolderWithoutSplitsListsClassesSortedAndSplitsTrainValByHash() throws IOException {
        for (int i = 0; i < 40; i++) {
            ImageFixtures.write(dir.resolve("zebra/z" + i + ".png"), 8, 8, 1, i);
            ImageFixtures.write(dir.resolve("apple/a" + i + ".jpg"), 8, 8, 2, i);
        }
        ImageFixtures.writeBytes(dir.resolve("apple/.DS_Store"), new byte[]{1});
        ImageFixtures.writeBytes(dir.resolve("zebra/notes.txt"), "hello".getBytes());
        ImageFixtures.writeBytes(dir.resolve("loose.png"), new byte[]{1});

        ImageListing listing = list(dir, InputLayout.IMAGEFOLDER, config("data.val-fraction = 0.25"));

        assertEquals(List.of("apple", "zebra"), listing.classes());
        assertEquals(81, listing.listed());
        assertEquals(2, listing.ignored());
        Map<String, ListedImage> images = byRelativePath(listing);
        assertEquals("no-class-folder", images.get("loose.png").rejectReason());
        ListedImage z3 = images.get("zebra/z3.png");
        assertEquals(1, z3.label());
        assertEquals("zebra", z3.labelName());
        assertEquals(ImageId.of("zebra/z3.png"), z3.id());
        assertEquals(16, z3.id().length());
        assertTrue(z3.path().startsWith("file:/"), z3.path());
        long val = listing.images().stream().filter(i -> i.split() == Split.VAL).count();
        long test = listing.images().stream().filter(i -> i.split() == Split.TEST).count();
        assertEquals(0, test);
        assertTrue(val >= 8 && val <= 35, "about a quarter of 81 in val, got " + val);
        // The same listing again gives the same splits.
        assertEquals(listing, list(dir, InputLayout.IMAGEFOLDER, config("data.val-fraction = 0.25")));
    }

    @Test
    void imageFolderWithSplitFoldersKeepsThemAndCarvesValOnlyWhenThereIsNone() throws IOException {
        for (int i = 0; i < 30; i++) {
            ImageFixtures.write(dir.resolve("a/train/cat/c" + i + ".png"), 8, 8, 1, i);
            ImageFixtures.write(dir.resolve("b/train/cat/c" + i + ".png"), 8, 8, 1, i);
        }
        ImageFixtures.write(dir.resolve("a/test/dog/d.png"), 8, 8, 2, 0);
        ImageFixtures.write(dir.resolve("b/val/cat/v.png"), 8, 8, 2, 0);
        ImageFixtures.write(dir.resolve("b/test/dog/nested/deeper/d.png"), 8, 8, 2, 0);

        ImageListing trainTest = list(dir.resolve("a"), InputLayout.IMAGEFOLDER, config("data.val-fraction = 0.3"));
        assertEquals(List.of("cat", "dog"), trainTest.classes());
        Map<String, ListedImage> a = byRelativePath(trainTest);
        assertEquals(Split.TEST, a.get("test/dog/d.png").split());
        assertTrue(trainTest.images().stream().anyMatch(i -> i.split() == Split.VAL), "val carved from train");

        ImageListing withVal = list(dir.resolve("b"), InputLayout.IMAGEFOLDER, config("data.val-fraction = 0.3"));
        Map<String, ListedImage> b = byRelativePath(withVal);
        assertEquals(Split.VAL, b.get("val/cat/v.png").split());
        assertEquals("dog", b.get("test/dog/nested/deeper/d.png").labelName());
        assertEquals(30, withVal.images().stream().filter(i -> i.split() == Split.TRAIN).count(),
                "an input with its own val keeps all of train");
    }

    @Test
    void imageFolderMixingSplitAndClassFoldersIsAUsageError() throws IOException {
        ImageFixtures.write(dir.resolve("train/cat/c.png"), 8, 8, 1, 0);
        ImageFixtures.write(dir.resolve("dog/d.png"), 8, 8, 1, 0);
        UsageException e = assertThrows(UsageException.class, () -> list(dir, InputLayout.IMAGEFOLDER, config()));
        assertTrue(e.getMessage().contains("--input") && e.getMessage().contains("mixes split folders"), e.getMessage());
    }

    @Test
    void missingInputIsAUsageErrorNamingIt() {
        UsageException e = assertThrows(UsageException.class,
                () -> list(dir.resolve("nowhere"), InputLayout.IMAGEFOLDER, config()));
        assertTrue(e.getMessage().startsWith("--input ") && e.getMessage().contains("no such file"), e.getMessage());
        assertThrows(UsageException.class, () -> InputLayout.parse("coco"));
    }

    @Test
    void cubLayoutReadsTheOfficialFilesAndRejectsImagesWithUnknownClassOrNoLabel() throws IOException {
        Path cub = dir.resolve("CUB_200_2011");
        ImageFixtures.write(cub.resolve("images/001.Black_footed_Albatross/a1.jpg"), 8, 8, 1, 0);
        ImageFixtures.write(cub.resolve("images/001.Black_footed_Albatross/a2.jpg"), 8, 8, 1, 1);
        ImageFixtures.write(cub.resolve("images/002.Laysan_Albatross/b1.jpg"), 8, 8, 2, 0);
        ImageFixtures.write(cub.resolve("images/002.Laysan_Albatross/b2.jpg"), 8, 8, 2, 1);
        Files.writeString(cub.resolve("images.txt"), """
                1 001.Black_footed_Albatross/a1.jpg
                2 001.Black_footed_Albatross/a2.jpg
                3 002.Laysan_Albatross/b1.jpg
                4 002.Laysan_Albatross/b2.jpg
                5 002.Laysan_Albatross/gone.jpg
                6 002.Laysan_Albatross/readme.txt
                """);
        Files.writeString(cub.resolve("classes.txt"), "1 001.Black_footed_Albatross\n2 002.Laysan_Albatross\n3 003.Sooty_Albatross\n");
        Files.writeString(cub.resolve("image_class_labels.txt"), "1 1\n2 1\n3 2\n4 7\n5 2\n6 2\n");
        Files.writeString(cub.resolve("train_test_split.txt"), "1 1\n2 0\n3 1\n4 1\n5 0\n6 1\n");

        ImageListing listing = list(cub, InputLayout.CUB, config("data.val-fraction = 0"));

        assertEquals(List.of("001.Black_footed_Albatross", "002.Laysan_Albatross", "003.Sooty_Albatross"), listing.classes());
        assertEquals(5, listing.listed());
        assertEquals(1, listing.ignored());
        Map<String, ListedImage> images = byRelativePath(listing);
        assertEquals(Split.TRAIN, images.get("images/001.Black_footed_Albatross/a1.jpg").split());
        assertEquals(Split.TEST, images.get("images/001.Black_footed_Albatross/a2.jpg").split());
        assertEquals(1, images.get("images/002.Laysan_Albatross/b1.jpg").label());
        assertNull(images.get("images/002.Laysan_Albatross/b1.jpg").rejectReason());
        assertEquals("unknown-class", images.get("images/002.Laysan_Albatross/b2.jpg").rejectReason());
        // A missing file is found by the executor that reads it (missing-file).
        assertNull(images.get("images/002.Laysan_Albatross/gone.jpg").rejectReason());
    }

    @Test
    void cubMetadataErrorsNameTheFileAndLine() throws IOException {
        Path cub = dir.resolve("cub");
        Files.createDirectories(cub);
        Files.writeString(cub.resolve("images.txt"), "1 a/b.jpg\nnot-a-number x.jpg\n");
        Files.writeString(cub.resolve("classes.txt"), "1 a\n");
        Files.writeString(cub.resolve("image_class_labels.txt"), "1 1\n");
        UsageException missing = assertThrows(UsageException.class, () -> list(cub, InputLayout.CUB, config()));
        assertTrue(missing.getMessage().contains("train_test_split.txt is missing")
                || missing.getMessage().contains("images.txt line 2"), missing.getMessage());
        Files.writeString(cub.resolve("train_test_split.txt"), "1 1\n");
        UsageException malformed = assertThrows(UsageException.class, () -> list(cub, InputLayout.CUB, config()));
        assertTrue(malformed.getMessage().contains("images.txt line 2"), malformed.getMessage());
    }

    @Test
    void csvListTakesRelativeAndAbsolutePathsAndRejectsEmptyLabels() throws IOException {
        Path images = dir.resolve("pics");
        Path a = ImageFixtures.write(images.resolve("a.png"), 8, 8, 1, 0);
        ImageFixtures.write(images.resolve("b.png"), 8, 8, 2, 0);
        Path elsewhere = ImageFixtures.write(dir.resolve("other/c.jpg"), 8, 8, 3, 0);
        Path list = dir.resolve("list.csv");
        Files.writeString(list, "path,label,split\n"
                + "pics/a.png,10,train\n"
                + "pics/b.png,9,test\n"
                + elsewhere.toAbsolutePath() + ",2,val\n"
                + "pics/a.png,10,train\n"
                + "pics/nolabel.png,,train\n"
                + "pics/weird.png,9,holdout\n"
                + "notes.txt,3,train\n");

        ImageListing listing = list(list, InputLayout.LIST, config());

        assertEquals(List.of("2", "9", "10"), listing.classes(), "integer labels sort numerically");
        assertEquals(1, listing.ignored());
        assertEquals(6, listing.listed());
        Map<String, List<ListedImage>> byPath = listing.images().stream()
                .collect(Collectors.groupingBy(ListedImage::relativePath));
        assertEquals(a.toUri().getPath(), new org.apache.hadoop.fs.Path(byPath.get("pics/a.png").get(0).path()).toUri().getPath());
        assertEquals(List.of("duplicate"), byPath.get("pics/a.png").stream().map(ListedImage::rejectReason)
                .filter(java.util.Objects::nonNull).toList());
        assertEquals(Split.VAL, byPath.get(elsewhere.toAbsolutePath().toString()).get(0).split());
        assertEquals(0, byPath.get(elsewhere.toAbsolutePath().toString()).get(0).label());
        assertEquals("empty-label", byPath.get("pics/nolabel.png").get(0).rejectReason());
        assertEquals("unknown-split", byPath.get("pics/weird.png").get(0).rejectReason());
    }

    @Test
    void tsvListWithoutSplitColumnSplitsByHashAndMissingColumnIsAUsageError() throws IOException {
        ImageFixtures.write(dir.resolve("x y.png"), 8, 8, 1, 0);
        Path tsv = dir.resolve("list.tsv");
        Files.writeString(tsv, "Label\tPath\tnote\nbird\tx y.png\tsome, text\n");
        ImageListing listing = list(tsv, InputLayout.LIST, config());
        assertEquals(List.of("bird"), listing.classes());
        ListedImage only = listing.images().get(0);
        assertTrue(only.path().endsWith("/x y.png") || only.path().endsWith("/x%20y.png"), only.path());
        assertTrue(only.split() == Split.TRAIN || only.split() == Split.VAL);

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "file,label\na.png,x\n");
        UsageException e = assertThrows(UsageException.class, () -> list(bad, InputLayout.LIST, config()));
        assertTrue(e.getMessage().contains("no 'path' column"), e.getMessage());
    }
}
