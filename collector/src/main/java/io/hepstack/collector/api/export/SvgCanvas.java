package io.hepstack.collector.api.export;

import java.util.Locale;

/** A {@link LadderCanvas} that writes SVG 1.1 text (no scripts, every text escaped). */
final class SvgCanvas implements LadderCanvas {

    private final StringBuilder b = new StringBuilder(16_384);

    @Override
    public void begin(int width, int height) {
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String colour, double width, boolean dashed) {
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
                x1, y1, x2, y2, colour, width, dashed ? " stroke-dasharray=\"4 3\"" : ""));
    }

    @Override
    public void arrowHead(double x, double y, int dir, String colour) {
        b.append(String.format(Locale.ROOT, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>%n",
                x, y, x - 8 * dir, y - 4, x - 8 * dir, y + 4, colour));
    }

    @Override
    public void selfLoop(double x, double y1, double y2, String colour, boolean dashed) {
        b.append(String.format(Locale.ROOT, "<path d=\"M %.1f %.1f h 24 v %.1f h -24\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\"%s/>%n",
                x, y1, y2 - y1, colour, dashed ? " stroke-dasharray=\"4 3\"" : ""));
        arrowHead(x, y2, -1, colour);
    }

    @Override
    public void rect(double x, double y, double w, double h, String fill, String stroke) {
        b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s/>%n",
                x, y, w, h, fill, stroke == null ? "" : " stroke=\"" + stroke + "\""));
    }

    @Override
    public void text(double x, double y, String text, String colour, double size, Anchor anchor, boolean bold) {
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-size=\"%.0f\" text-anchor=\"%s\"%s>",
                x, y, colour, size, anchor.name().toLowerCase(Locale.ROOT), bold ? " font-weight=\"bold\"" : ""));
        escape(text);
        b.append("</text>\n");
    }

    @Override
    public void end() {
        b.append("</svg>\n");
    }

    String svg() {
        return b.toString();
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        b.append(c);
                    }
                }
            }
        }
    }
}
