package io.hepstack.collector.api.export;

/**
 * What drawing a ladder needs, so one {@link LadderDrawing} makes both the SVG and the PNG.
 * Colours are {@code #rrggbb}; coordinates are pixels from the top left.
 */
interface LadderCanvas {

    enum Anchor { START, MIDDLE, END }

    void begin(int width, int height);

    void line(double x1, double y1, double x2, double y2, String colour, double width, boolean dashed);

    /** A filled triangle: the arrow head at (x, y) pointing right ({@code dir} 1) or left (-1). */
    void arrowHead(double x, double y, int dir, String colour);

    /** A loop out of and back into a column, for a message a host sends itself. */
    void selfLoop(double x, double y1, double y2, String colour, boolean dashed);

    void rect(double x, double y, double w, double h, String fill, String stroke);

    void text(double x, double y, String text, String colour, double size, Anchor anchor, boolean bold);

    void end();
}
