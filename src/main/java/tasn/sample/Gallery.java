package tasn.sample;

import java.util.List;

/**
 * OUT/index.html: one table row per image with its pictures, linked relatively
 * ({@code images/<folder>/<file>}), so the page opens from the file system (or a copy of the
 * folder) with no server and no network: no script, font or style sheet from elsewhere.
 * Every text from the input (paths, labels, class names) is HTML-escaped.
 */
final class Gallery {
    private static final int SHOWN = 160;

    private Gallery() {
    }

    static String html(String title, List<ExportedImage> images) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px;vertical-align:top;font-size:12px}")
                .append("img{width:").append(SHOWN).append("px;height:").append(SHOWN).append("px;image-rendering:pixelated}")
                .append(".error{color:#a00}\n</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n")
                .append("<p>Original: the evaluation view the model saw. Structure / detail: the attention-sampled images ")
                .append("at test time; detail-random: one attention channel each, drawn as in training. Heat map: the ")
                .append("attention (blue low, red high) over the original.</p>\n<table>\n<tr><th>#</th><th>image</th>")
                .append("<th>pictures</th><th>predictions</th></tr>\n");
        int n = 0;
        for (ExportedImage image : images) {
            n++;
            b.append("<tr><td>").append(n).append("</td><td>").append(escape(image.path()));
            if (image.labelName() != null) {
                b.append("<br>label: ").append(escape(image.labelName()));
            }
            b.append("</td><td>");
            if (image.error() != null) {
                b.append("<span class=\"error\">").append(escape(image.error())).append("</span>");
            } else {
                for (String picture : image.pictures()) {
                    String src = "images/" + image.folder() + "/" + picture;
                    b.append("<figure style=\"display:inline-block;margin:2px\"><a href=\"").append(escape(src))
                            .append("\"><img src=\"").append(escape(src)).append("\" alt=\"").append(escape(picture))
                            .append("\"></a><figcaption>").append(escape(picture.replace(".png", "")))
                            .append("</figcaption></figure>");
                }
            }
            b.append("</td><td>");
            for (String line : image.headLines()) {
                b.append(escape(line)).append("<br>");
            }
            if (image.error() == null) {
                String json = "images/" + image.folder() + "/predictions.json";
                b.append("<a href=\"").append(escape(json)).append("\">predictions.json</a>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</table>\n</body>\n</html>\n");
        return b.toString();
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
