package io.hepstack.collector.api.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.document.StoredPackets;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.PcapWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stored messages back into a capture: each SIP message (its raw text, {@code event.original}) and
 * each HEP-carried RTCP report ({@link RtcpPackets}) as one frame of a classic pcap with the HEP
 * addresses, ports, transport and µs capture time (read by {@link StoredPackets}). Log lines and messages without their raw text
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
        byte[] payload;
        if (StoredPackets.isSip(s)) {
            payload = StoredPackets.sipPayload(s);
            if (payload == null) {
                skip("sip_without_raw_text");
                return;
            }
        } else if (s.path("rtcp").has("ssrc")) {
            payload = RtcpPackets.of(s);
        } else {
            skip("not_a_packet_" + s.path("event").path("dataset").asText("other").replace("hep.", ""));
            return;
        }
        HepPacket p = StoredPackets.packet(s, payload);
        if (p == null) {
            skip("no_addresses");
            return;
        }
        int proto = p.ipProtocol == PcapWriter.IPPROTO_TCP ? PcapWriter.IPPROTO_TCP : PcapWriter.IPPROTO_UDP;
        try {
            writer.write(p.timestampMicros(), proto, p.srcIp, p.srcPort, p.dstIp, p.dstPort, payload);
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
}
