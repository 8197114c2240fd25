package tasn.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageExtensionsTest {
    @Test
    void decodableExtensionsInAnyCaseAreImages() {
        for (String name : new String[]{"a.jpg", "b.JPEG", "dir/c.Png", "d.bmp", "e.GIF", "f.webp", "hdfs://nn/x/y.JpG"}) {
            assertTrue(ImageExtensions.isImage(name), name);
        }
    }

    @Test
    void otherNamesAreNotImages() {
        for (String name : new String[]{"a.tif", "b.txt", "jpg", "c.jpg.txt", "dir.jpg/readme", "d.", ".DS_Store", "e.heic"}) {
            assertFalse(ImageExtensions.isImage(name), name);
        }
    }
}
