package io.hepstack.collector.api.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.api.TimeParam;
import io.hepstack.collector.pcap.PcapWriter;
import io.hepstack.enricher.net.IpAddress;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stored messages back into a capture: each SIP message (its raw text, {@code event.original}) and
 * each HEP-carried RTCP report ({@link RtcpPackets}) as one frame of a classic pcap with the HEP
 * addresses, ports, transport and µs capture time. Log lines and messages without their raw text
 * are not packets; they are counted by reason ({@link #skipped()}).
 */
public final class PcapExport {

    private final PcapWriter writer;
    private final Map<String, Long> skipped = new TreeMap<>();

    public PcapExport(OutputStream out) throws IOException {
        this.writer = new PcapWriter(out);
    }

    /** Adds one stored message ({@code _source}). */
    public void add(JsonNode s) throws IOException {
        long micros = TimeParam.micros(s.path("@timestamp").asText(null));
        byte[] payload;
        if (s.has("sip") || "hep.sip".equals(s.path("event").path("dataset").asText())) {
            String raw = s.path("event").path("original").asText(null);
            if (raw == null) {
                skip("sip_without_raw_text");
                return;
            }
            payload = raw.getBytes(StandardCharsets.UTF_8);
        } else if (s.path("rtcp").has("ssrc")) {
            payload = RtcpPackets.of(s);
        } else {
            skip("not_a_packet_" + s.path("event").path("dataset").asText("other").replace("hep.", ""));
            return;
        }
        byte[] src = address(s.path("source").path("ip").asText(null));
        byte[] dst = address(s.path("destination").path("ip").asText(null));
        int sport = s.path("source").path("port").asInt(-1);
        int dport = s.path("destination").path("port").asInt(-1);
        if (micros == Long.MIN_VALUE || src == null || dst == null || src.length != dst.length || sport < 0 || dport < 0) {
            skip("no_addresses");
            return;
        }
        int proto = "tcp".equals(s.path("network").path("transport").asText()) ? PcapWriter.IPPROTO_TCP : PcapWriter.IPPROTO_UDP;
        try {
            writer.write(micros, proto, src, sport, dst, dport, payload);
        } catch (IllegalArgumentException tooLarge) {
            skip("too_large");
        }
    }

    public long frames() {
        return writer.frames();
    }

    /** What was not written, by reason. */
    public Map<String, Long> skipped() {
        return skipped;
    }

    private void skip(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    /** The bytes of an IP literal; null for anything else (never a name look-up). */
    static byte[] address(String ip) {
        if (ip == null || IpAddress.parse(ip) == null) {
            return null;
        }
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
