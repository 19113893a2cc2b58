package io.hepstack.collector.api.export;

import io.hepstack.collector.api.callview.LadderLayout;
import io.hepstack.collector.document.Timestamps;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a {@link LadderLayout.Ladder} on a {@link LadderCanvas}: a header box per column with a
 * life line, one arrow per drawn row (copies are not drawn twice) labelled with the message, the
 * µs time and delta on the left, colours by status class, a leg colour bar per row, dotted rows for
 * RTCP/QoS reports and log lines, loops for messages a host sends itself, and a legend of legs.
 */
public final class LadderDrawing {

    static final int LEFT = 210;
    static final int COLUMN = 220;
    static final int TOP = 70;
    static final int ROW = 30;
    static final List<String> LEG_COLOURS = List.of("#1f77b4", "#9467bd", "#17becf", "#bcbd22", "#e377c2", "#8c564b");

    private LadderDrawing() {
    }

    /** @param legs the Call-ID of each leg, leg 0 first, for the legend */
    public static void draw(LadderLayout.Ladder ladder, List<String> legs, LadderCanvas c) {
        List<LadderLayout.Row> rows = ladder.rows().stream().filter(LadderLayout.Row::drawn).toList();
        int cols = Math.max(1, ladder.columns().size());
        int width = LEFT + cols * COLUMN;
        int legendTop = TOP + (rows.size() + 1) * ROW;
        int height = legendTop + 20 + legs.size() * 18;
        c.begin(width, height);
        c.rect(0, 0, width, height, "#ffffff", null);
        Map<String, Double> x = new HashMap<>();
        for (int i = 0; i < ladder.columns().size(); i++) {
            LadderLayout.Column col = ladder.columns().get(i);
            double cx = LEFT + i * COLUMN + COLUMN / 2.0;
            x.put(col.id(), cx);
            c.rect(cx - COLUMN / 2.0 + 10, 14, COLUMN - 20, 30, "#f0f3f7", "#8a99ad");
            c.text(cx, 34, col.label(), "#1b2733", 12, LadderCanvas.Anchor.MIDDLE, true);
            c.line(cx, 44, cx, legendTop - ROW / 2.0, "#c3ccd6", 1, false);
        }
        Timestamps ts = new Timestamps();
        for (int i = 0; i < rows.size(); i++) {
            LadderLayout.Row r = rows.get(i);
            double y = TOP + i * ROW + ROW / 2.0;
            String colour = colour(r);
            boolean dotted = !"sip".equals(r.kind());
            c.rect(2, y - 11, 4, 18, LEG_COLOURS.get(r.leg() % LEG_COLOURS.size()), null);
            c.text(10, y, ts.iso(r.micros()).substring(11, 26), "#33404d", 11, LadderCanvas.Anchor.START, false);
            c.text(10, y + 12, "+" + String.format(java.util.Locale.ROOT, "%.6f", r.deltaUs() / 1e6), "#7b8794", 9,
                    LadderCanvas.Anchor.START, false);
            double x1 = x.get(r.from());
            double x2 = x.get(r.to());
            String label = r.label() + (r.retransmission() ? " (retransmission)" : "");
            if (r.selfLoop()) {
                c.selfLoop(x1, y - 6, y + 6, colour, dotted);
                c.text(x1 + 30, y, label, colour, 11, LadderCanvas.Anchor.START, false);
            } else if (x1 == x2) {
                c.rect(x1 - 5, y - 5, 10, 10, "#ffffff", colour);
                c.text(x1 + 10, y + 4, label, colour, 11, LadderCanvas.Anchor.START, false);
            } else {
                c.line(x1, y + 4, x2, y + 4, colour, r.retransmission() ? 1 : 1.6, dotted || r.retransmission());
                c.arrowHead(x2, y + 4, x2 > x1 ? 1 : -1, colour);
                c.text((x1 + x2) / 2, y, label, colour, 11, LadderCanvas.Anchor.MIDDLE, false);
            }
        }
        for (int i = 0; i < legs.size(); i++) {
            double y = legendTop + 14 + i * 18;
            c.rect(10, y - 10, 12, 12, LEG_COLOURS.get(i % LEG_COLOURS.size()), null);
            c.text(28, y, "leg " + i + ": " + legs.get(i), "#1b2733", 11, LadderCanvas.Anchor.START, false);
        }
        c.end();
    }

    /** By kind and status class: requests blue, 1xx grey, 2xx green, 3xx teal, 4xx orange, 5xx/6xx red. */
    static String colour(LadderLayout.Row r) {
        if (!"sip".equals(r.kind())) {
            return "log".equals(r.kind()) ? "#6b7785" : "#8e44ad";
        }
        return switch (r.statusClass()) {
            case "request" -> "#1f5fbf";
            case "1xx" -> "#6b7785";
            case "2xx" -> "#1e8e3e";
            case "3xx" -> "#00838f";
            case "4xx" -> "#e37400";
            default -> "#c5221f";
        };
    }
}
