package tasn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RgbImageTest {
    @Test
    void imagesWithTheSamePixelsAreEqual() {
        RgbImage a = new RgbImage(1, 2, new byte[]{1, 2, 3, 4, 5, 6});
        RgbImage b = new RgbImage(1, 2, new byte[]{1, 2, 3, 4, 5, 6});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new RgbImage(2, 1, new byte[]{1, 2, 3, 4, 5, 6}));
        assertNotEquals(a, new RgbImage(1, 2, new byte[]{1, 2, 3, 4, 5, 7}));
        assertEquals(6, a.at(0, 1, 2));
    }

    @Test
    void pixelsMustMatchTheSize() {
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new byte[11]));
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(0, 2, new byte[0]));
    }
}
