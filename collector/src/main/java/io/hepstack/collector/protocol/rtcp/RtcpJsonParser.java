package io.hepstack.collector.protocol.rtcp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the JSON that capture agents send instead of raw RTCP: HEP type 5 ("RTCP JSON") into an
 * {@link RtcpReport}, and the QoS reports of HEP types 32/34/35 into a {@link QosReport}.
 *
 * <h2>HEP type 5: RTCP as JSON</h2>
 * All agents below use the field names of sipcapture/heplify {@code protos/rtcp.go}; they differ in
 * which fields they fill and how:
 * <ul>
 * <li>heplify ({@code protos/rtcp.go}): always sends {@code sender_information} (zeros for an RR),
 *     {@code report_blocks} ({@code null} when none), {@code report_blocks_xr} (zeros unless an XR
 *     VoIP Metrics block was seen), {@code sdes_ssrc}; {@code packets_lost} is the raw 24-bit field as
 *     an unsigned number; {@code type} is the type of the <em>last</em> packet of the compound.</li>
 * <li>captagent ({@code src/modules/protocol/rtcp/parser_rtcp.h}): one report block only;
 *     {@code packets_lost} sign-extended to 32 bits and printed unsigned; SDES as
 *     {@code sdes_information: [{type, text}]}.</li>
 * <li>rtpengine ({@code daemon/rtcp.c}, homer handlers): every report block; SDES as
 *     {@code sdes_information: [{sdes_chunk_ssrc, type, text}]}; no XR.</li>
 * <li>Asterisk ({@code res_hep_rtcp} via {@code rtp_engine.c}): NTP seconds/microseconds as JSON
 *     <em>strings</em>.</li>
 * <li>hepipe.js ESL bridge (FreeSWITCH): SSRCs as strings, {@code ia_jitter} may be fractional.</li>
 * </ul>
 * Mapping: {@code ssrc} → {@link RtcpReport#senderSsrc()}; {@code type} → the one entry of
 * {@link RtcpReport#packetTypes()}; {@code sender_information.{ntp_timestamp_sec, ntp_timestamp_usec,
 * rtp_timestamp, packets, octets}} → {@link RtcpReport.SenderInfo} (absent or all zero → none);
 * {@code report_blocks[].{source_ssrc, fraction_lost, packets_lost, highest_seq_no, ia_jitter, lsr,
 * dlsr}} → {@link RtcpReport.ReportBlock} (reporter = {@code ssrc}); {@code report_blocks_xr} with
 * {@code type} 7 → {@link XrBlock.VoipMetrics} from {@code id} (source SSRC), {@code fraction_lost}
 * (loss rate), {@code fraction_discard}, {@code burst_density}, {@code gap_density},
 * {@code burst_duration}, {@code gap_duration}, {@code round_trip_delay}, {@code end_system_delay}
 * (the JSON carries no levels, R factor, MOS or jitter-buffer fields: those are set to 127
 * "unavailable" or 0), another non-zero {@code type} → {@link XrBlock.Raw} of unknown length;
 * the first {@code sdes_information[]} item of type 1 → CNAME. Ignored: {@code report_count}
 * (the list is authoritative), {@code sdes_ssrc}, {@code sdes_chunk_ssrc}, {@code sdes_report_count}
 * and any other field.
 *
 * <p>Numbers are accepted as JSON numbers (fractions rounded) or numeric strings (decimal or
 * {@code 0x} hex). 32-bit fields sent negative (signed printing, e.g. an LSR of -1097006646) are
 * taken modulo 2^32. {@code packets_lost} is the signed 24-bit cumulative loss of RFC 3550 in any of
 * three spellings: signed (-5), raw 24-bit (0xfffffb, heplify, rtpengine) or sign-extended 32-bit
 * (0xfffffffb, captagent).
 *
 * <h2>HEP types 32, 34, 35: agent QoS reports</h2>
 * The keys of the rtpagent report family, upper case (matched case-insensitively), as sent by
 * rtpagent-compatible senders: sipcapture/hepipe.js {@code esl-client.js} (type 32, from FreeSWITCH
 * channel variables at hangup), negbie/horaclifix (Oracle SBC IPFIX: 34 for RTP, 35 for RTCP
 * figures), sipcapture/hepsim (34 PERIODIC/HANGUP/FINAL, 35 short HANGUP). heplify-server stores
 * every such type without interpreting it and graphs {@code DELTA, JITTER, MOS, PACKET_LOSS, RFACTOR,
 * SKEW} of type 34 in Prometheus; no public schema exists, so this mapping is the union of what those
 * senders emit. Units: jitter and delta in ms, MOS 1..5, R 0..100, counts in packets. Mapped (see {@link QosReport} for units):
 * {@code CORRELATION_ID, RTP_SIP_CALL_ID, TYPE, REPORT_NAME, REPORT_TS, MOS, MIN_MOS, MEAN_MOS,
 * RFACTOR, MIN_RFACTOR, MEAN_RFACTOR, JITTER, MAX_JITTER, MEAN_JITTER, TOTAL_PK | TOTAL_PACKETS,
 * EXPECTED_PK | TOTAL_EXPECTED_PK, PACKET_LOSS | TOTAL_PACKET_LOSS | CUM_PACKET_LOSS, SSRC, SRC_IP,
 * SRC_PORT, DST_IP, DST_PORT, CODEC_PT, CODEC_NAME, CLOCK | CODEC_RATE, DIR, PARTY}. Ignored:
 * {@code DELTA, MAX_DELTA, SKEW, MAX_SKEW, MIN_SKEW, MIN_JITTER, MAX_MOS, MAX_RFACTOR, TL_BYTE,
 * TOTAL_BYTES, SEQ, OUT_ORDER, SSRC_CHG, SRC_MAC, DST_MAC, PTIME, MEAN_PACKET_LOSS, ONE_WAY_RTP,
 * IP_QOS, INFO_VLAN, VIDEO, REPORT_START, REPORT_END, RTP_START, RTP_STOP, EVENT, STYPE, CODEC_CH,
 * CODEC_CHANNEL, SOURCE} and anything else.
 *
 * <p>Every problem is an {@link RtcpParseException}: malformed JSON (offset from Jackson), a root
 * that is not an object, a field of the wrong kind or out of range (offset -1, the JSON path in the
 * reason). Thread-safe; holds one {@link ObjectMapper}.
 */
public final class RtcpJsonParser {

    private static final long U32_MAX = 0xffff_ffffL;
    private static final int CUM_LOST_MIN = -(1 << 23);
    private static final int CUM_LOST_MAX = (1 << 23) - 1;

    private final ObjectMapper mapper;

    public RtcpJsonParser() {
        this(new ObjectMapper());
    }

    /** Uses the given mapper (e.g. the application's), which must not be reconfigured afterwards. */
    public RtcpJsonParser(ObjectMapper mapper) {
        if (mapper == null) {
            throw new IllegalArgumentException("mapper must not be null");
        }
        this.mapper = mapper;
    }

    /** Parses an RTCP JSON payload (HEP type 5). */
    public RtcpReport parseRtcp(byte[] json) throws RtcpParseException {
        JsonNode root = readObject(json);
        long ssrc = u32(root.get("ssrc"), "ssrc", -1);
        List<Integer> types = new ArrayList<>(1);
        long type = integer(root.get("type"), "type", -1, 0, 255);
        if (type >= 0) {
            types.add((int) type);
        }
        RtcpReport.SenderInfo senderInfo = senderInfo(root.get("sender_information"));
        List<RtcpReport.ReportBlock> blocks = reportBlocks(root.get("report_blocks"), ssrc);
        List<XrBlock> xr = xrBlocks(root.get("report_blocks_xr"), ssrc);
        String cname = cname(root.get("sdes_information"));
        if (ssrc < 0 && senderInfo == null && blocks.isEmpty() && xr.isEmpty() && cname == null) {
            throw new RtcpParseException("JSON object has no RTCP fields (ssrc, sender_information, "
                    + "report_blocks, report_blocks_xr, sdes_information)", -1);
        }
        return new RtcpReport(RtcpReport.Format.JSON, ssrc, types, senderInfo, blocks, cname, null, List.of(), xr);
    }

    /**
     * Parses a QoS report (HEP type 32, 34 or 35; the type is recorded, the mapping is the same).
     * A report with none of MOS, R-factor, jitter and packet counts is rejected.
     */
    public QosReport parseQosReport(byte[] json, int hepType) throws RtcpParseException {
        JsonNode root = readObject(json);
        Map<String, JsonNode> f = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            f.putIfAbsent(e.getKey().toUpperCase(Locale.ROOT), e.getValue());
        }
        QosReport r = new QosReport(hepType,
                text(f, "CORRELATION_ID"), text(f, "RTP_SIP_CALL_ID"), text(f, "TYPE"), text(f, "REPORT_NAME"),
                real(f, "REPORT_TS"),
                mos(f, "MOS"), mos(f, "MIN_MOS"), mos(f, "MEAN_MOS"),
                rFactor(f, "RFACTOR"), rFactor(f, "MIN_RFACTOR"), rFactor(f, "MEAN_RFACTOR"),
                nonNegative(f, "JITTER"), nonNegative(f, "MAX_JITTER"), nonNegative(f, "MEAN_JITTER"),
                count(f, "TOTAL_PK", "TOTAL_PACKETS"), count(f, "EXPECTED_PK", "TOTAL_EXPECTED_PK"),
                count(f, "PACKET_LOSS", "TOTAL_PACKET_LOSS", "CUM_PACKET_LOSS"),
                u32(f.get("SSRC"), "SSRC", -1),
                text(f, "SRC_IP"), (int) integer(f.get("SRC_PORT"), "SRC_PORT", -1, 0, 65535),
                text(f, "DST_IP"), (int) integer(f.get("DST_PORT"), "DST_PORT", -1, 0, 65535),
                (int) integer(f.get("CODEC_PT"), "CODEC_PT", -1, 0, 127), text(f, "CODEC_NAME"),
                (int) clock(f),
                (int) integer(f.get("DIR"), "DIR", -1, 0, Integer.MAX_VALUE),
                (int) integer(f.get("PARTY"), "PARTY", -1, 0, Integer.MAX_VALUE),
                Double.NaN, Double.NaN); // agents send counts (and no round trip)
        if (Double.isNaN(r.mos()) && Double.isNaN(r.mosMean()) && Double.isNaN(r.rFactor())
                && Double.isNaN(r.rFactorMean()) && Double.isNaN(r.jitterMs()) && Double.isNaN(r.jitterMeanMs())
                && r.packets() < 0 && r.expected() < 0 && r.lost() < 0) {
            throw new RtcpParseException("QoS report has none of MOS, RFACTOR, JITTER, packet counts", -1);
        }
        return r;
    }

    // ------------------------------------------------------------------ RTCP JSON parts

    private static RtcpReport.SenderInfo senderInfo(JsonNode si) throws RtcpParseException {
        if (si == null || si.isNull()) {
            return null;
        }
        requireObject(si, "sender_information");
        long ntpSec = u64(si.get("ntp_timestamp_sec"), "sender_information.ntp_timestamp_sec");
        long ntpFrac = u64(si.get("ntp_timestamp_usec"), "sender_information.ntp_timestamp_usec");
        long rtpTs = u32(si.get("rtp_timestamp"), "sender_information.rtp_timestamp", 0);
        long packets = u32(si.get("packets"), "sender_information.packets", 0);
        long octets = u32(si.get("octets"), "sender_information.octets", 0);
        if (ntpSec == 0 && ntpFrac == 0 && rtpTs == 0 && packets == 0 && octets == 0) {
            return null; // heplify sends an all-zero block for RR-only compounds
        }
        return new RtcpReport.SenderInfo(ntpSec, ntpFrac, rtpTs, packets, octets);
    }

    private static List<RtcpReport.ReportBlock> reportBlocks(JsonNode list, long reporter)
            throws RtcpParseException {
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new RtcpParseException("report_blocks is " + list.getNodeType() + ", expected an array", -1);
        }
        List<RtcpReport.ReportBlock> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode rb = list.get(i);
            String at = "report_blocks[" + i + "].";
            requireObject(rb, "report_blocks[" + i + "]");
            out.add(new RtcpReport.ReportBlock(reporter,
                    u32(rb.get("source_ssrc"), at + "source_ssrc", 0),
                    (int) integer(rb.get("fraction_lost"), at + "fraction_lost", 0, 0, 255),
                    cumulativeLost(rb.get("packets_lost"), at + "packets_lost"),
                    u32(rb.get("highest_seq_no"), at + "highest_seq_no", 0),
                    u32(rb.get("ia_jitter"), at + "ia_jitter", 0),
                    u32(rb.get("lsr"), at + "lsr", 0),
                    u32(rb.get("dlsr"), at + "dlsr", 0)));
        }
        return out;
    }

    private static List<XrBlock> xrBlocks(JsonNode xr, long reporter) throws RtcpParseException {
        if (xr == null || xr.isNull()) {
            return List.of();
        }
        requireObject(xr, "report_blocks_xr");
        int type = (int) integer(xr.get("type"), "report_blocks_xr.type", 0, 0, 255);
        if (type == 0) {
            return List.of(); // heplify's "no XR seen"
        }
        if (type != XrBlock.BT_VOIP_METRICS) {
            return List.of(new XrBlock.Raw(reporter, type, 0, -1));
        }
        String at = "report_blocks_xr.";
        int u = XrBlock.UNAVAILABLE;
        return List.of(new XrBlock.VoipMetrics(reporter,
                u32(xr.get("id"), at + "id", 0),
                (int) integer(xr.get("fraction_lost"), at + "fraction_lost", 0, 0, 255),
                (int) integer(xr.get("fraction_discard"), at + "fraction_discard", 0, 0, 255),
                (int) integer(xr.get("burst_density"), at + "burst_density", 0, 0, 255),
                (int) integer(xr.get("gap_density"), at + "gap_density", 0, 0, 255),
                (int) integer(xr.get("burst_duration"), at + "burst_duration", 0, 0, 65535),
                (int) integer(xr.get("gap_duration"), at + "gap_duration", 0, 0, 65535),
                (int) integer(xr.get("round_trip_delay"), at + "round_trip_delay", 0, 0, 65535),
                (int) integer(xr.get("end_system_delay"), at + "end_system_delay", 0, 0, 65535),
                u, u, u, 0, u, u, u, u, 0, 0, 0, 0));
    }

    private static String cname(JsonNode items) throws RtcpParseException {
        if (items == null || items.isNull()) {
            return null;
        }
        if (!items.isArray()) {
            throw new RtcpParseException("sdes_information is " + items.getNodeType() + ", expected an array", -1);
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            requireObject(item, "sdes_information[" + i + "]");
            long type = integer(item.get("type"), "sdes_information[" + i + "].type", -1, 0, 255);
            JsonNode text = item.get("text");
            if (type == 1 && text != null && text.isTextual()) {
                return text.asText();
            }
        }
        return null;
    }

    /** RFC 3550 cumulative lost: signed 24 bits, accepted signed, raw 24-bit or sign-extended 32-bit. */
    private static int cumulativeLost(JsonNode n, String name) throws RtcpParseException {
        long v = integer(n, name, 0, Long.MIN_VALUE, Long.MAX_VALUE);
        if (v >= 0x80_0000L && v <= 0xff_ffffL) {
            v -= 0x100_0000L;                 // raw 24-bit two's complement
        } else if (v >= U32_MAX - CUM_LOST_MAX && v <= U32_MAX) {
            v -= U32_MAX + 1;                 // sign-extended to 32 bits, printed unsigned
        }
        if (v < CUM_LOST_MIN || v > CUM_LOST_MAX) {
            throw new RtcpParseException(name + " " + n.asText() + " is not a 24-bit cumulative loss", -1);
        }
        return (int) v;
    }

    // ------------------------------------------------------------------ QoS report parts

    private static String text(Map<String, JsonNode> f, String key) {
        JsonNode n = f.get(key);
        if (n == null || n.isNull() || n.isContainerNode()) {
            return null;
        }
        String s = n.asText();
        return s.isEmpty() ? null : s;
    }

    private static double real(Map<String, JsonNode> f, String key) throws RtcpParseException {
        JsonNode n = f.get(key);
        if (n == null || n.isNull()) {
            return Double.NaN;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            String s = n.asText().trim();
            if (s.isEmpty()) {
                return Double.NaN;
            }
            try {
                double d = Double.parseDouble(s);
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new RtcpParseException(key + " is not a number: " + n, -1);
    }

    private static double nonNegative(Map<String, JsonNode> f, String key) throws RtcpParseException {
        double d = real(f, key);
        return d >= 0 ? d : Double.NaN;
    }

    private static double mos(Map<String, JsonNode> f, String key) throws RtcpParseException {
        double d = real(f, key);
        return d >= 1.0 && d <= 5.0 ? d : Double.NaN;
    }

    private static double rFactor(Map<String, JsonNode> f, String key) throws RtcpParseException {
        double d = real(f, key);
        return d >= 0.0 && d <= 100.0 ? d : Double.NaN;
    }

    private static long count(Map<String, JsonNode> f, String... keys) throws RtcpParseException {
        for (String k : keys) {
            JsonNode n = f.get(k);
            if (n != null && !n.isNull()) {
                return integer(n, k, -1, 0, Long.MAX_VALUE);
            }
        }
        return -1;
    }

    private static long clock(Map<String, JsonNode> f) throws RtcpParseException {
        JsonNode n = f.get("CLOCK");
        if (n == null || n.isNull()) {
            n = f.get("CODEC_RATE");
        }
        return integer(n, "CLOCK", -1, 1, 1_000_000);
    }

    // ------------------------------------------------------------------ numbers

    private JsonNode readObject(byte[] json) throws RtcpParseException {
        if (json == null || json.length == 0) {
            throw new RtcpParseException("empty JSON payload", 0);
        }
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JacksonException e) {
            JsonLocation loc = e.getLocation();
            long off = loc == null ? -1 : loc.getByteOffset() >= 0 ? loc.getByteOffset() : loc.getCharOffset();
            throw new RtcpParseException("malformed JSON: " + e.getOriginalMessage(), off, e);
        } catch (IOException e) {
            throw new RtcpParseException("unreadable JSON: " + e.getMessage(), -1, e);
        }
        if (root == null || !root.isObject()) {
            throw new RtcpParseException("JSON root is " + (root == null ? "missing" : root.getNodeType())
                    + ", expected an object", 0);
        }
        return root;
    }

    private static void requireObject(JsonNode n, String name) throws RtcpParseException {
        if (!n.isObject()) {
            throw new RtcpParseException(name + " is " + n.getNodeType() + ", expected an object", -1);
        }
    }

    /** An unsigned 32-bit field; negative values (signed printing) are taken modulo 2^32. */
    private static long u32(JsonNode n, String name, long absent) throws RtcpParseException {
        long v = integer(n, name, Long.MIN_VALUE, Integer.MIN_VALUE, U32_MAX);
        return v == Long.MIN_VALUE ? absent : v & U32_MAX;
    }

    /** A non-negative field kept as sent (NTP words: some agents overflow 32 bits). */
    private static long u64(JsonNode n, String name) throws RtcpParseException {
        long v = integer(n, name, 0, Integer.MIN_VALUE, Long.MAX_VALUE);
        return v < 0 ? v & U32_MAX : v;
    }

    /**
     * An integer from a JSON number (fractions rounded) or numeric string (decimal or 0x hex);
     * {@code absent} when missing or null; an exception when not numeric or outside [min, max].
     */
    private static long integer(JsonNode n, String name, long absent, long min, long max) throws RtcpParseException {
        if (n == null || n.isNull()) {
            return absent;
        }
        long v;
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) {
                throw new RtcpParseException(name + " " + n.asText() + " is out of range", -1);
            }
            v = n.longValue();
        } else if (n.isNumber()) {
            double d = n.doubleValue();
            if (!Double.isFinite(d) || d > Long.MAX_VALUE || d < Long.MIN_VALUE) {
                throw new RtcpParseException(name + " " + n.asText() + " is out of range", -1);
            }
            v = Math.round(d);
        } else if (n.isTextual()) {
            v = parseText(n.asText(), name);
        } else {
            throw new RtcpParseException(name + " is " + n.getNodeType() + ", expected a number", -1);
        }
        if (v < min || v > max) {
            throw new RtcpParseException(name + " " + v + " outside " + min + ".." + max, -1);
        }
        return v;
    }

    private static long parseText(String raw, String name) throws RtcpParseException {
        String s = raw.trim();
        try {
            if (s.length() > 2 && (s.startsWith("0x") || s.startsWith("0X"))) {
                return Long.parseLong(s.substring(2), 16);
            }
            if (s.indexOf('.') >= 0 || s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
                double d = Double.parseDouble(s);
                if (Double.isFinite(d) && d <= Long.MAX_VALUE && d >= Long.MIN_VALUE) {
                    return Math.round(d);
                }
            } else {
                return Long.parseLong(s);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new RtcpParseException(name + " \"" + raw + "\" is not a number", -1);
    }
}
