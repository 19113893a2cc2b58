package io.hepstack.collector.api.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.api.CallLoader;
import io.hepstack.collector.api.callview.LadderLayout;
import io.hepstack.collector.document.RawText;
import io.hepstack.collector.document.Timestamps;

import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole flow of a call as readable text: the legs, then every row of the ladder in capture
 * order (time with µs, delta, from → to, label, marks) followed by the message itself — the raw SIP
 * text, or the report's or log line's text. Copies from other capture points are listed, marked,
 * without repeating their text.
 */
public final class TextExport {

    private TextExport() {
    }

    public static void write(Writer w, CallLoader.CallData call, LadderLayout.Ladder ladder) throws IOException {
        Timestamps ts = new Timestamps();
        w.write("Call " + call.callId() + "\n");
        for (int i = 0; i < call.callIds().size(); i++) {
            w.write("  leg " + i + ": " + call.callIds().get(i) + "\n");
        }
        Map<String, String> columns = new HashMap<>();
        ladder.columns().forEach(c -> columns.put(c.id(), c.label()));
        Map<String, JsonNode> sources = new HashMap<>();
        call.messages().forEach(m -> sources.put(m.id(), m.source()));
        w.write(ladder.rows().size() + " messages" + (call.truncated() ? " (truncated: the call has " + call.total() + ")" : "") + "\n\n");
        int n = 0;
        for (LadderLayout.Row r : ladder.rows()) {
            n++;
            StringBuilder line = new StringBuilder();
            line.append('#').append(n).append(' ').append(ts.iso(r.micros())).append(" (+")
                    .append(String.format(java.util.Locale.ROOT, "%.6f", r.deltaUs() / 1e6)).append(" s) ")
                    .append(columns.get(r.from())).append(" -> ").append(columns.get(r.to())).append("  ")
                    .append(r.label()).append("  [").append(r.kind()).append(", leg ").append(r.leg()).append(']');
            if (r.retransmission()) {
                line.append(" retransmission");
            }
            if (r.copyOf() != null) {
                line.append(" copy of ").append(r.copyOf());
            }
            w.write(line.append('\n').toString());
            if (r.copyOf() == null) {
                JsonNode s = sources.get(r.id());
                String text = s == null ? null : RawText.original(s);
                if (text == null && s != null) {
                    text = s.path("message").asText(null);
                }
                if (text == null || text.isEmpty()) {
                    text = r.label();
                }
                w.write(text.replace("\r\n", "\n"));
                if (!text.endsWith("\n")) {
                    w.write("\n");
                }
            }
            w.write("\n");
        }
    }
}
