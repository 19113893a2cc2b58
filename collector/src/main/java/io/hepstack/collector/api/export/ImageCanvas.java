package io.hepstack.collector.api.export;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;

/** A {@link LadderCanvas} that paints a PNG with Java2D (headless; no dependency beyond the JDK). */
final class ImageCanvas implements LadderCanvas {

    /** Beyond this many pixels a PNG is not drawn (a call of many thousand messages: use the SVG). */
    static final long MAX_PIXELS = 40_000_000L;

    private BufferedImage image;
    private Graphics2D g;

    @Override
    public void begin(int width, int height) {
        if ((long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException("the ladder is too large for a PNG (" + width + "x" + height + "); use the SVG");
        }
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String colour, double width, boolean dashed) {
        g.setColor(Color.decode(colour));
        g.setStroke(dashed ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{4, 3}, 0)
                : new BasicStroke((float) width));
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void arrowHead(double x, double y, int dir, String colour) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x, y);
        p.lineTo(x - 8 * dir, y - 4);
        p.lineTo(x - 8 * dir, y + 4);
        p.closePath();
        g.setColor(Color.decode(colour));
        g.fill(p);
    }

    @Override
    public void selfLoop(double x, double y1, double y2, String colour, boolean dashed) {
        line(x, y1, x + 24, y1, colour, 1.6, dashed);
        line(x + 24, y1, x + 24, y2, colour, 1.6, dashed);
        line(x + 24, y2, x, y2, colour, 1.6, dashed);
        arrowHead(x, y2, -1, colour);
    }

    @Override
    public void rect(double x, double y, double w, double h, String fill, String stroke) {
        Rectangle2D.Double r = new Rectangle2D.Double(x, y, w, h);
        g.setColor(Color.decode(fill));
        g.fill(r);
        if (stroke != null) {
            g.setStroke(new BasicStroke(1));
            g.setColor(Color.decode(stroke));
            g.draw(r);
        }
    }

    @Override
    public void text(double x, double y, String text, String colour, double size, Anchor anchor, boolean bold) {
        g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, (int) Math.round(size)));
        g.setColor(Color.decode(colour));
        double w = g.getFontMetrics().stringWidth(text);
        double at = anchor == Anchor.START ? x : anchor == Anchor.MIDDLE ? x - w / 2 : x - w;
        g.drawString(text, (float) at, (float) y);
    }

    @Override
    public void end() {
        g.dispose();
    }

    void writePng(OutputStream out) throws IOException {
        ImageIO.write(image, "png", out);
    }
}
