package tasn.sample;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tasn.data.RgbImage;

/**
 * The attention map drawn over the image: the map (same size as the view) scaled to 0-1 by its
 * own minimum and maximum, coloured blue (least attended) through green and yellow to red
 * (most attended), and blended half and half with the view. A flat map is drawn all blue.
 */
final class HeatMap {
    private static final double OPACITY = 0.5;

    private HeatMap() {
    }

    /** @param map (1, 1, H, W) with H, W the view's size */
    static RgbImage overlay(RgbImage view, INDArray map) {
        int h = view.height();
        int w = view.width();
        if (map.size(2) != h || map.size(3) != w) {
            throw new IllegalArgumentException("the map is " + map.size(2) + "x" + map.size(3) + ", the view " + h + "x" + w);
        }
        double[] values = map.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double range = max - min;
        byte[] px = new byte[3 * h * w];
        byte[] in = view.pixels();
        for (int p = 0; p < h * w; p++) {
            double t = range > 0 ? (values[p] - min) / range : 0;
            int[] colour = colour(t);
            for (int c = 0; c < 3; c++) {
                double v = (1 - OPACITY) * (in[p * 3 + c] & 0xFF) + OPACITY * colour[c];
                px[p * 3 + c] = (byte) Math.round(v);
            }
        }
        return new RgbImage(h, w, px);
    }

    /** A jet-like colour scale: 0 blue, 1/3 cyan-green, 2/3 yellow, 1 red. */
    static int[] colour(double t) {
        double r = clamp(1.5 - Math.abs(4 * t - 3));
        double g = clamp(1.5 - Math.abs(4 * t - 2));
        double b = clamp(1.5 - Math.abs(4 * t - 1));
        return new int[]{(int) Math.round(255 * r), (int) Math.round(255 * g), (int) Math.round(255 * b)};
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
