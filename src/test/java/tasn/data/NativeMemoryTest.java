package tasn.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import tasn.config.DataConfig;

/** Decoding, views and encodings free their native OpenCV memory: the process does not grow with the images. */
class NativeMemoryTest {

    @Test
    void thousandsOfDecodesViewsAndEncodingsDoNotGrowNativeMemory() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.gradient(400, 300), false);
        byte[] png = TestImages.write(TestImages.gradient(300, 200), "png");
        ImageDecoder decoder = new ImageDecoder(1 << 30);
        DataConfig config = new DataConfig(64, 0.1, 1, DataConfig.PixelEncoding.RAW, 95, 1L << 30, 48_000_000L, 0,
                new DataConfig.Augment(true, true, true, 0.4, 0.4, 0.4, 0.1, 30));
        Runnable round = () -> {
            try {
                RgbImage photo = decoder.decode(jpeg, "a.jpg");
                RgbImage drawing = decoder.decode(png, "b.png");
                RgbImage view = ImageViews.trainView(photo, config, 1, "a", 0);
                ImageViews.evalView(drawing, 64);
                PixelCodec.decode(PixelCodec.encode(view, DataConfig.PixelEncoding.JPEG, 90), DataConfig.PixelEncoding.JPEG, 64, 64);
                PixelCodec.decode(PixelCodec.encode(view, DataConfig.PixelEncoding.PNG, 90), DataConfig.PixelEncoding.PNG, 64, 64);
                decoder.decode(java.util.Arrays.copyOf(png, png.length - 10), "cut.png");
            } catch (ImageRejected expected) {
                // the cut PNG
            }
        };
        for (int i = 0; i < 300; i++) {
            round.run();
        }
        // A leaked decode alone would be 360 kB a round: 180 MB in each window of 500 rounds.
        // The process's resident size also moves for reasons of its own (the JVM touching more
        // of its heap, other threads of the test JVM), once and not steadily: a leak shows in
        // both windows, so the smaller growth is the one compared.
        long first = residentGrowth(round, 500);
        long second = residentGrowth(round, 500);
        long grown = Math.min(first, second);
        assertTrue(grown < 60L << 20, "resident memory grew by " + (first >> 20) + " MB, then by "
                + (second >> 20) + " MB, over two windows of 500 decodes, views and encodings");
    }

    private static long residentGrowth(Runnable round, int rounds) {
        long before = Pointer.physicalBytes();
        for (int i = 0; i < rounds; i++) {
            round.run();
        }
        return Pointer.physicalBytes() - before;
    }
}
