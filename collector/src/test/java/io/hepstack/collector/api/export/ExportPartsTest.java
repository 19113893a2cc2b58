package io.hepstack.collector.api.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hepstack.collector.api.callview.LadderLayout;
import io.hepstack.collector.api.callview.LadderMessage;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ladder images and the export's small rules; the files themselves are checked with tshark in UiApiIT. */
class ExportPartsTest {

    private static LadderLayout.Ladder ladder(String label) {
        List<LadderMessage> in = new ArrayList<>();
        in.add(new LadderMessage("m1", "i", 1_000_000, 0, "sip", "10.0.0.1", 5060, "10.0.0.2", 5060, null, "a@x", "c", "1",
                label, 0, null, true, null, Double.NaN, Double.NaN, Double.NaN));
        in.add(new LadderMessage("m2", "i", 1_000_500, 1, "sip", "10.0.0.2", 5060, "10.0.0.1", 5060, null, "a@x", "c", "2",
                "INVITE", 486, "Busy Here", false, null, Double.NaN, Double.NaN, Double.NaN));
        in.add(new LadderMessage("m3", "i", 1_000_900, 2, "sip", "10.0.0.1", 5060, "10.0.0.1", 5060, null, "a@x", "c", "3",
                "MESSAGE", 0, null, false, null, Double.NaN, Double.NaN, Double.NaN));
        return new LadderLayout(LadderLayout.Grouping.IP, List.of("a@x")).layout(in);
    }

    @Test
    void theSvgHasAnArrowAndAnEscapedLabelPerRow() {
        SvgCanvas svg = new SvgCanvas();
        LadderDrawing.draw(ladder("INVITE<script>"), List.of("a@x & more"), svg);
        String s = svg.svg();
        assertThat(s).startsWith("<?xml").endsWith("</svg>\n");
        assertThat(s).contains(">INVITE&lt;script&gt; (SDP)</text>").doesNotContain("<script>");
        assertThat(s).contains(">486 Busy Here</text>").contains("fill=\"#e37400\"");
        assertThat(s).contains(">10.0.0.1:5060</text>").contains(">leg 0: a@x &amp; more</text>");
        assertThat(s).contains("<path d=\"M").as("a self-loop for the host's own message");
        assertThat(s.split("<polygon", -1)).as("three arrow heads").hasSize(4);
        assertThat(s).contains(">00:00:01.000500</text>").contains(">+0.000500</text>");
    }

    @Test
    void thePngIsAnImageOfTheLadder() throws Exception {
        ImageCanvas png = new ImageCanvas();
        LadderDrawing.draw(ladder("INVITE"), List.of("a@x"), png);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        png.writePng(out);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(img.getWidth()).isEqualTo(LadderDrawing.LEFT + 2 * LadderDrawing.COLUMN);
        // the first arrow (a request, blue) crosses the middle between the two columns
        int y = LadderDrawing.TOP + LadderDrawing.ROW / 2 + 4;
        int x = LadderDrawing.LEFT + LadderDrawing.COLUMN;
        boolean blue = false;
        for (int dy = -1; dy <= 1; dy++) {
            int rgb = img.getRGB(x, y + dy) & 0xffffff;
            blue |= (rgb & 0xff) > 0x90 && (rgb >> 16) < 0x80;
        }
        assertThat(blue).isTrue();
    }

    @Test
    void fileNamesAreSafe() {
        assertThat(CallExportResource.fileName("a84b4c76e66710@pc33.atlanta.com")).isEqualTo("a84b4c76e66710@pc33.atlanta.com");
        assertThat(CallExportResource.fileName("x\"/../\r\nevil")).isEqualTo("x__..___evil");
        assertThat(CallExportResource.fileName("")).isEqualTo("call");
    }

    @Test
    void sipHeadersAreSplitOneByOneWithFoldedLinesJoined() {
        ArrayNode h = new ObjectMapper().createArrayNode();
        String body = io.hepstack.collector.api.callview.MessageResource.splitSip(
                "INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9\r\nSubject: one\r\n  two\r\nContent-Length: 4\r\n\r\nv=0\n", h);
        assertThat(h.toString()).isEqualTo("[[\"Via\",\"SIP/2.0/UDP a;branch=z9\"],[\"Subject\",\"one two\"],[\"Content-Length\",\"4\"]]");
        assertThat(body).isEqualTo("v=0\n");
        assertThat(io.hepstack.collector.api.callview.MessageResource.splitSip("OPTIONS sip:x SIP/2.0\r\nTo: y\r\n", h.removeAll()))
                .isNull();
    }
}
