package tasn.score;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The confusion matrix as a heat map (OUT/confusion.png), drawn with Java2D: one cell per
 * (true, predicted) pair, shaded by the fraction of the true class's images (row-normalised,
 * white 0 to dark blue 1), counts written in the cells and class names on the axes when the
 * classes are few enough to read.
 */
final class ConfusionChart {
    private static final int MAX_LABELLED = 40;

    private ConfusionChart() {
    }

    static BufferedImage draw(ScoreReport report) {
        long[][] m = report.confusion();
        List<String> classes = report.classes();
        int k = m.length;
        int cell = Math.max(4, Math.min(48, 800 / Math.max(1, k)));
        boolean labelled = k <= MAX_LABELLED;
        int margin = labelled ? 140 : 40;
        int size = margin + k * cell + 20;
        BufferedImage image = new BufferedImage(size, size + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(String.format(java.util.Locale.ROOT, "confusion (%s head): %d images, top-1 %.3f; rows true, columns predicted",
                    report.head(), report.count(), report.top1()), 8, 18);
            int top = 30 + margin;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, Math.min(12, cell / 2))));
            for (int t = 0; t < k; t++) {
                long support = report.support(t);
                for (int p = 0; p < k; p++) {
                    double share = support == 0 ? 0 : (double) m[t][p] / support;
                    g.setColor(shade(share));
                    g.fillRect(margin + p * cell, top + t * cell, cell, cell);
                    if (cell >= 18 && m[t][p] > 0) {
                        g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                        g.drawString(Long.toString(m[t][p]), margin + p * cell + 3, top + t * cell + cell / 2 + 4);
                    }
                }
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawRect(margin, top, k * cell, k * cell);
            if (labelled) {
                g.setColor(Color.BLACK);
                for (int i = 0; i < k; i++) {
                    String name = shorten(classes.get(i));
                    g.drawString(name, 4, top + i * cell + cell / 2 + 4);
                    Graphics2D rotated = (Graphics2D) g.create();
                    rotated.translate(margin + i * cell + cell / 2 + 4, top - 4);
                    rotated.rotate(-Math.PI / 2);
                    rotated.drawString(name, 0, 0);
                    rotated.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static Color shade(double share) {
        int r = (int) Math.round(255 - share * (255 - 8));
        int gr = (int) Math.round(255 - share * (255 - 48));
        int b = (int) Math.round(255 - share * (255 - 107));
        return new Color(r, gr, b);
    }

    private static String shorten(String name) {
        return name.length() <= 20 ? name : name.substring(0, 19) + "…";
    }
}
