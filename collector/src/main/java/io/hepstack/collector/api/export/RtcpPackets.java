package io.hepstack.collector.api.export;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An RTCP compound packet (RFC 3550 §6.4) rebuilt from a stored RTCP document's fields
 * ({@code rtcp.ssrc}, {@code rtcp.sender.*}, {@code rtcp.report[]}, {@code rtcp.sdes.cname}), for
 * the PCAP export: HEP carries RTCP mostly as heplify JSON, so there are no original bytes to copy.
 * What the document keeps is what the packet says: SR (or RR) with its report blocks, then SDES
 * CNAME. The NTP timestamp keeps its whole seconds (the document stores no fraction).
 */
public final class RtcpPackets {

    private RtcpPackets() {
    }

    /** The packet, or null when the document has no RTCP fields. */
    public static byte[] of(JsonNode s) {
        JsonNode rtcp = s.path("rtcp");
        if (!rtcp.has("ssrc")) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonNode blocks = rtcp.path("report");
        int rc = Math.min(31, blocks.isArray() ? blocks.size() : 0);
        JsonNode sender = rtcp.path("sender");
        boolean sr = !sender.isMissingNode();
        int words = 1 + (sr ? 5 : 0) + rc * 6; // after the header word
        out.write(0x80 | rc);
        out.write(sr ? 200 : 201);
        u16(out, words);
        u32(out, rtcp.path("ssrc").asLong());
        if (sr) {
            u32(out, sender.path("ntp_timestamp").asLong());
            u32(out, 0);
            u32(out, sender.path("rtp_timestamp").asLong());
            u32(out, sender.path("packets").asLong());
            u32(out, sender.path("octets").asLong());
        }
        for (int i = 0; i < rc; i++) {
            JsonNode b = blocks.get(i);
            u32(out, b.path("source_ssrc").asLong());
            out.write(b.path("fraction_lost").asInt() & 0xff);
            long lost = b.path("packets_lost").asLong();
            out.write((int) (lost >> 16) & 0xff);
            out.write((int) (lost >> 8) & 0xff);
            out.write((int) lost & 0xff);
            u32(out, b.path("highest_seq").asLong());
            u32(out, b.path("jitter").asLong());
            u32(out, b.path("lsr").asLong());
            u32(out, b.path("dlsr").asLong());
        }
        String cname = rtcp.path("sdes").path("cname").asText(null);
        if (cname != null) {
            byte[] text = cname.getBytes(StandardCharsets.UTF_8);
            int len = Math.min(255, text.length);
            int chunk = 4 + 2 + len + 1; // ssrc, CNAME item, END
            int padded = (chunk + 3) / 4 * 4;
            out.write(0x81);
            out.write(202);
            u16(out, padded / 4);
            u32(out, rtcp.path("ssrc").asLong());
            out.write(1);
            out.write(len);
            out.write(text, 0, len);
            for (int i = chunk - 1; i < padded; i++) {
                out.write(0);
            }
        }
        return out.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8 & 0xff);
        out.write(v & 0xff);
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24) & 0xff);
        out.write((int) (v >>> 16) & 0xff);
        out.write((int) (v >>> 8) & 0xff);
        out.write((int) v & 0xff);
    }
}
