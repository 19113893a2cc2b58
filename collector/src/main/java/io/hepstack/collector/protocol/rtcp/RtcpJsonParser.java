package io.hepstack.collector.protocol.rtcp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * Parses an RTCP JSON payload (HEP type 5).
     *
     * <p>Hot path (one message in twelve of a typical mix): read with Jackson's streaming parser
     * into {@link Fields} (a few arrays per JSON object, one slot per known key) rather than a
     * {@code JsonNode} tree, which costs a hash map and a node object per JSON object and value.
     * Every JSON value of the root is still read (malformed JSON anywhere is an error), the last
     * of duplicate keys wins, and the checks run afterwards in the same order as over a tree,
     * so the reports and error messages are those of the tree reading this replaced.
     */
    public RtcpReport parseRtcp(byte[] json) throws RtcpParseException {
        Fields root = readRtcp(json);
        long ssrc = u32(root, SSRC, "ssrc", -1);
        List<Integer> types = new ArrayList<>(1);
        long type = integer(root, TYPE, "type", -1, 0, 255);
        if (type >= 0) {
            types.add((int) type);
        }
        RtcpReport.SenderInfo senderInfo = senderInfo(root.child[SENDER_INFORMATION], root.kind[SENDER_INFORMATION]);
        List<RtcpReport.ReportBlock> blocks = reportBlocks(root.items[REPORT_BLOCKS], root.kind[REPORT_BLOCKS], ssrc);
        List<XrBlock> xr = xrBlocks(root.child[REPORT_BLOCKS_XR], root.kind[REPORT_BLOCKS_XR], ssrc);
        String cname = cname(root.items[SDES_INFORMATION], root.kind[SDES_INFORMATION]);
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
        JsonNode root = readTree(json);
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

    private static RtcpReport.SenderInfo senderInfo(Fields si, byte kind) throws RtcpParseException {
        if (kind == ABSENT || kind == NULL) {
            return null;
        }
        requireObject(kind, "sender_information");
        long ntpSec = u64(si, SI_NTP_SEC, "sender_information.ntp_timestamp_sec");
        long ntpFrac = u64(si, SI_NTP_USEC, "sender_information.ntp_timestamp_usec");
        long rtpTs = u32(si, SI_RTP_TS, "sender_information.rtp_timestamp", 0);
        long packets = u32(si, SI_PACKETS, "sender_information.packets", 0);
        long octets = u32(si, SI_OCTETS, "sender_information.octets", 0);
        if (ntpSec == 0 && ntpFrac == 0 && rtpTs == 0 && packets == 0 && octets == 0) {
            return null; // heplify sends an all-zero block for RR-only compounds
        }
        return new RtcpReport.SenderInfo(ntpSec, ntpFrac, rtpTs, packets, octets);
    }

    private static List<RtcpReport.ReportBlock> reportBlocks(List<Fields> list, byte kind, long reporter)
            throws RtcpParseException {
        if (kind == ABSENT || kind == NULL) {
            return List.of();
        }
        if (kind != ARRAY) {
            throw new RtcpParseException("report_blocks is " + nodeType(kind) + ", expected an array", -1);
        }
        List<RtcpReport.ReportBlock> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Fields rb = list.get(i);
            requireObject(rb.self, rbName(i, -1));
            out.add(new RtcpReport.ReportBlock(reporter,
                    u32(rb, RB_SOURCE_SSRC, rbName(i, RB_SOURCE_SSRC), 0),
                    (int) integer(rb, RB_FRACTION_LOST, rbName(i, RB_FRACTION_LOST), 0, 0, 255),
                    cumulativeLost(rb, RB_PACKETS_LOST, rbName(i, RB_PACKETS_LOST)),
                    u32(rb, RB_HIGHEST_SEQ, rbName(i, RB_HIGHEST_SEQ), 0),
                    u32(rb, RB_JITTER, rbName(i, RB_JITTER), 0),
                    u32(rb, RB_LSR, rbName(i, RB_LSR), 0),
                    u32(rb, RB_DLSR, rbName(i, RB_DLSR), 0)));
        }
        return out;
    }

    private static List<XrBlock> xrBlocks(Fields xr, byte kind, long reporter) throws RtcpParseException {
        if (kind == ABSENT || kind == NULL) {
            return List.of();
        }
        requireObject(kind, "report_blocks_xr");
        int type = (int) integer(xr, XR_TYPE, "report_blocks_xr.type", 0, 0, 255);
        if (type == 0) {
            return List.of(); // heplify's "no XR seen"
        }
        if (type != XrBlock.BT_VOIP_METRICS) {
            return List.of(new XrBlock.Raw(reporter, type, 0, -1));
        }
        final String at = "report_blocks_xr."; // final: a constant, so the names below are too (no concatenation per report)
        int u = XrBlock.UNAVAILABLE;
        return List.of(new XrBlock.VoipMetrics(reporter,
                u32(xr, XR_ID, at + "id", 0),
                (int) integer(xr, XR_FRACTION_LOST, at + "fraction_lost", 0, 0, 255),
                (int) integer(xr, XR_FRACTION_DISCARD, at + "fraction_discard", 0, 0, 255),
                (int) integer(xr, XR_BURST_DENSITY, at + "burst_density", 0, 0, 255),
                (int) integer(xr, XR_GAP_DENSITY, at + "gap_density", 0, 0, 255),
                (int) integer(xr, XR_BURST_DURATION, at + "burst_duration", 0, 0, 65535),
                (int) integer(xr, XR_GAP_DURATION, at + "gap_duration", 0, 0, 65535),
                (int) integer(xr, XR_ROUND_TRIP, at + "round_trip_delay", 0, 0, 65535),
                (int) integer(xr, XR_END_SYSTEM, at + "end_system_delay", 0, 0, 65535),
                u, u, u, 0, u, u, u, u, 0, 0, 0, 0));
    }

    private static String cname(List<Fields> items, byte kind) throws RtcpParseException {
        if (kind == ABSENT || kind == NULL) {
            return null;
        }
        if (kind != ARRAY) {
            throw new RtcpParseException("sdes_information is " + nodeType(kind) + ", expected an array", -1);
        }
        for (int i = 0; i < items.size(); i++) {
            Fields item = items.get(i);
            requireObject(item.self, sdesName(i, -1));
            long type = integer(item, SDES_TYPE, sdesName(i, SDES_TYPE), -1, 0, 255);
            if (type == 1 && item.kind[SDES_TEXT] == TEXT) {
                return item.text[SDES_TEXT];
            }
        }
        return null;
    }

    /**
     * The names of array items and their fields in error messages ({@code report_blocks[0].lsr}):
     * every field of every block is read with its name, wrong or not, so the names of the first
     * {@value #NAMED_ITEMS} items are made once instead of concatenated per report.
     */
    private static final int NAMED_ITEMS = 32; // RTCP allows 31 report blocks
    /** Index 0: the item itself; index slot + 1: the field of that slot. */
    private static final String[] RB_FIELDS = {"", ".source_ssrc", ".fraction_lost", ".packets_lost", ".highest_seq_no",
            ".ia_jitter", ".lsr", ".dlsr"};
    private static final String[] SDES_FIELDS = {"", ".type"};
    private static final String[][] RB_NAMES = itemNames("report_blocks", RB_FIELDS);
    private static final String[][] SDES_NAMES = itemNames("sdes_information", SDES_FIELDS);

    private static String[][] itemNames(String array, String[] fields) {
        String[][] names = new String[NAMED_ITEMS][fields.length];
        for (int i = 0; i < NAMED_ITEMS; i++) {
            for (int f = 0; f < fields.length; f++) {
                names[i][f] = array + "[" + i + "]" + fields[f];
            }
        }
        return names;
    }

    /** {@code report_blocks[i]} and the field of {@code slot} ({@code -1}: the block itself). */
    private static String rbName(int i, int slot) {
        return i < NAMED_ITEMS ? RB_NAMES[i][slot + 1] : "report_blocks[" + i + "]" + RB_FIELDS[slot + 1];
    }

    /** {@code sdes_information[i]} and the field of {@code slot} ({@code -1}: the item itself). */
    private static String sdesName(int i, int slot) {
        return i < NAMED_ITEMS ? SDES_NAMES[i][slot + 1] : "sdes_information[" + i + "]" + SDES_FIELDS[slot + 1];
    }

    /** RFC 3550 cumulative lost: signed 24 bits, accepted signed, raw 24-bit or sign-extended 32-bit. */
    private static int cumulativeLost(Fields f, int key, String name) throws RtcpParseException {
        long v = integer(f, key, name, 0, Long.MIN_VALUE, Long.MAX_VALUE);
        if (v >= 0x80_0000L && v <= 0xff_ffffL) {
            v -= 0x100_0000L;                 // raw 24-bit two's complement
        } else if (v >= U32_MAX - CUM_LOST_MAX && v <= U32_MAX) {
            v -= U32_MAX + 1;                 // sign-extended to 32 bits, printed unsigned
        }
        if (v < CUM_LOST_MIN || v > CUM_LOST_MAX) {
            throw new RtcpParseException(name + " " + f.asText(key) + " is not a 24-bit cumulative loss", -1);
        }
        return (int) v;
    }

    // ------------------------------------------------------------------ RTCP JSON streaming

    /** The kind of a JSON value in a {@link Fields} slot (ABSENT: the key was not there). */
    private static final byte ABSENT = 0, NULL = 1, INT = 2, BIG_INT = 3, FLOAT = 4, TEXT = 5, BOOLEAN = 6,
            OBJECT = 7, ARRAY = 8;

    // slots of the root object
    private static final int SSRC = 0, TYPE = 1, SENDER_INFORMATION = 2, REPORT_BLOCKS = 3, REPORT_BLOCKS_XR = 4,
            SDES_INFORMATION = 5, ROOT_KEYS = 6;
    // slots of sender_information
    private static final int SI_NTP_SEC = 0, SI_NTP_USEC = 1, SI_RTP_TS = 2, SI_PACKETS = 3, SI_OCTETS = 4;
    // slots of a report block
    private static final int RB_SOURCE_SSRC = 0, RB_FRACTION_LOST = 1, RB_PACKETS_LOST = 2, RB_HIGHEST_SEQ = 3,
            RB_JITTER = 4, RB_LSR = 5, RB_DLSR = 6;
    // slots of report_blocks_xr
    private static final int XR_TYPE = 0, XR_ID = 1, XR_FRACTION_LOST = 2, XR_FRACTION_DISCARD = 3,
            XR_BURST_DENSITY = 4, XR_GAP_DENSITY = 5, XR_BURST_DURATION = 6, XR_GAP_DURATION = 7, XR_ROUND_TRIP = 8,
            XR_END_SYSTEM = 9;
    // slots of an sdes_information item
    private static final int SDES_TYPE = 0, SDES_TEXT = 1;

    /** Which nested object a {@link Fields} holds: decides the slot of a key. */
    private enum Shape {
        ROOT(ROOT_KEYS), SENDER_INFO(5), REPORT_BLOCK(7), XR(10), SDES_ITEM(2);

        final int keys;

        Shape(int keys) {
            this.keys = keys;
        }

        /** The slot of {@code key}, or -1 for a key this reading ignores. */
        int slot(String key) {
            return switch (this) {
                case ROOT -> switch (key) {
                    case "ssrc" -> SSRC;
                    case "type" -> TYPE;
                    case "sender_information" -> SENDER_INFORMATION;
                    case "report_blocks" -> REPORT_BLOCKS;
                    case "report_blocks_xr" -> REPORT_BLOCKS_XR;
                    case "sdes_information" -> SDES_INFORMATION;
                    default -> -1;
                };
                case SENDER_INFO -> switch (key) {
                    case "ntp_timestamp_sec" -> SI_NTP_SEC;
                    case "ntp_timestamp_usec" -> SI_NTP_USEC;
                    case "rtp_timestamp" -> SI_RTP_TS;
                    case "packets" -> SI_PACKETS;
                    case "octets" -> SI_OCTETS;
                    default -> -1;
                };
                case REPORT_BLOCK -> switch (key) {
                    case "source_ssrc" -> RB_SOURCE_SSRC;
                    case "fraction_lost" -> RB_FRACTION_LOST;
                    case "packets_lost" -> RB_PACKETS_LOST;
                    case "highest_seq_no" -> RB_HIGHEST_SEQ;
                    case "ia_jitter" -> RB_JITTER;
                    case "lsr" -> RB_LSR;
                    case "dlsr" -> RB_DLSR;
                    default -> -1;
                };
                case XR -> switch (key) {
                    case "type" -> XR_TYPE;
                    case "id" -> XR_ID;
                    case "fraction_lost" -> XR_FRACTION_LOST;
                    case "fraction_discard" -> XR_FRACTION_DISCARD;
                    case "burst_density" -> XR_BURST_DENSITY;
                    case "gap_density" -> XR_GAP_DENSITY;
                    case "burst_duration" -> XR_BURST_DURATION;
                    case "gap_duration" -> XR_GAP_DURATION;
                    case "round_trip_delay" -> XR_ROUND_TRIP;
                    case "end_system_delay" -> XR_END_SYSTEM;
                    default -> -1;
                };
                case SDES_ITEM -> switch (key) {
                    case "type" -> SDES_TYPE;
                    case "text" -> SDES_TEXT;
                    default -> -1;
                };
            };
        }

        /** The shape of the object under root slot {@code slot} (or of the items of the array there). */
        static Shape nested(int slot) {
            return switch (slot) {
                case SENDER_INFORMATION -> SENDER_INFO;
                case REPORT_BLOCKS -> REPORT_BLOCK;
                case REPORT_BLOCKS_XR -> XR;
                case SDES_INFORMATION -> SDES_ITEM;
                default -> null;
            };
        }
    }

    /**
     * The values of one JSON object's known keys, by slot; what a tree node would hold, without a
     * map. {@code self} is the kind of the value this stands for (an array item may be no object).
     */
    private static final class Fields {
        byte self;
        final byte[] kind;
        final long[] num;
        final double[] real;
        final String[] text;
        /** Root only: the object under a slot, or the items of the array there. */
        final Fields[] child;
        final List<Fields>[] items;

        @SuppressWarnings("unchecked")
        Fields(byte self, int keys, boolean root) {
            this.self = self;
            this.kind = new byte[keys];
            this.num = new long[keys];
            this.real = new double[keys];
            this.text = new String[keys];
            this.child = root ? new Fields[keys] : null;
            this.items = root ? new List[keys] : null;
        }

        /** As new, standing for a value of kind {@code self}: every slot absent, nothing kept from before. */
        void clear(byte self) {
            this.self = self;
            Arrays.fill(kind, ABSENT); // num and real are read only where kind says so
            Arrays.fill(text, null);
            if (child != null) {
                Arrays.fill(child, null);
                Arrays.fill(items, null);
            }
        }

        /** The value as {@code JsonNode.asText()} gives it (for error messages). */
        String asText(int slot) {
            return switch (kind[slot]) {
                case INT -> Long.toString(num[slot]);
                case FLOAT -> Double.toString(real[slot]);
                case TEXT, BIG_INT -> text[slot];
                case BOOLEAN -> Boolean.toString(num[slot] != 0);
                case NULL -> "null";
                default -> "";
            };
        }
    }

    /**
     * Each thread's {@link Fields}, handed out again at its next parse: a parse's Fields are dead once
     * its report is built (one parse at a time per thread, nothing keeps them), and making them anew
     * was most of what parsing an RTCP report allocated. At most {@link FieldsPool#KEPT} of a shape
     * are kept; a report with more objects gets the rest new.
     */
    private static final ThreadLocal<FieldsPool> POOL = ThreadLocal.withInitial(FieldsPool::new);

    private static final class FieldsPool {
        static final int KEPT = 32; // RTCP allows 31 report blocks
        private static final Shape[] SHAPES = Shape.values();

        @SuppressWarnings("unchecked")
        private final List<Fields>[] kept = new List[SHAPES.length];
        private final int[] used = new int[SHAPES.length];

        /** A parse begins: every kept Fields is free again. */
        void reset() {
            Arrays.fill(used, 0);
        }

        /** A cleared Fields of {@code shape} for a value of kind {@code self}, not handed out since {@link #reset()}. */
        Fields take(Shape shape, byte self) {
            int s = shape.ordinal();
            List<Fields> list = kept[s];
            if (list == null) {
                list = new ArrayList<>(2);
                kept[s] = list;
            }
            if (used[s] < list.size()) {
                Fields f = list.get(used[s]++);
                f.clear(self);
                return f;
            }
            Fields f = new Fields(self, shape.keys, shape == Shape.ROOT);
            if (list.size() < KEPT) {
                list.add(f);
                used[s]++;
            }
            return f;
        }
    }

    private Fields readRtcp(byte[] json) throws RtcpParseException {
        if (json == null || json.length == 0) {
            throw new RtcpParseException("empty JSON payload", 0);
        }
        try (JsonParser p = mapper.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                if (t != null) {
                    p.skipChildren();
                }
                throw new RtcpParseException("JSON root is " + (t == null ? "MISSING" : nodeType(kindOf(t)))
                        + ", expected an object", 0);
            }
            FieldsPool pool = POOL.get();
            pool.reset();
            return readObject(p, pool, Shape.ROOT, OBJECT);
        } catch (JacksonException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new RtcpParseException("unreadable JSON: " + e.getMessage(), -1, e);
        }
    }

    /** Reads the object whose START_OBJECT was just read; values of keys the shape ignores are skipped. */
    private static Fields readObject(JsonParser p, FieldsPool pool, Shape shape, byte self) throws IOException {
        Fields f = pool.take(shape, self);
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            int slot = shape.slot(key);
            if (slot < 0) {
                p.skipChildren();
                continue;
            }
            byte kind = kindOf(t);
            f.kind[slot] = kind;
            f.text[slot] = null;
            if (shape == Shape.ROOT && (kind == OBJECT || kind == ARRAY) && Shape.nested(slot) != null) {
                Shape nested = Shape.nested(slot);
                f.child[slot] = kind == OBJECT ? readObject(p, pool, nested, OBJECT) : null;
                f.items[slot] = kind == ARRAY ? readItems(p, pool, nested) : null;
                continue;
            }
            switch (kind) {
                case INT -> {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        f.kind[slot] = BIG_INT;
                        f.text[slot] = p.getText();
                    } else {
                        f.num[slot] = p.getLongValue();
                    }
                }
                case FLOAT -> f.real[slot] = p.getDoubleValue();
                case TEXT -> f.text[slot] = p.getText();
                case BOOLEAN -> f.num[slot] = t == JsonToken.VALUE_TRUE ? 1 : 0;
                default -> p.skipChildren(); // an object or array where a number or text belongs
            }
        }
        return f;
    }

    /** Reads the array whose START_ARRAY was just read: objects of {@code shape}, other items by kind only. */
    private static List<Fields> readItems(JsonParser p, FieldsPool pool, Shape shape) throws IOException {
        List<Fields> out = new ArrayList<>(2);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.START_OBJECT) {
                out.add(readObject(p, pool, shape, OBJECT));
            } else {
                p.skipChildren();
                out.add(new Fields(kindOf(t), 0, false));
            }
        }
        return out;
    }

    private static byte kindOf(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> OBJECT;
            case START_ARRAY -> ARRAY;
            case VALUE_NUMBER_INT -> INT;
            case VALUE_NUMBER_FLOAT -> FLOAT;
            case VALUE_STRING -> TEXT;
            case VALUE_TRUE, VALUE_FALSE -> BOOLEAN;
            case VALUE_NULL -> NULL;
            default -> throw new IllegalStateException("not a value: " + t); // the parser never gives one here
        };
    }

    /** {@code JsonNode.getNodeType()} of a value of this kind, for error messages. */
    private static String nodeType(byte kind) {
        return switch (kind) {
            case INT, BIG_INT, FLOAT -> "NUMBER";
            case TEXT -> "STRING";
            case BOOLEAN -> "BOOLEAN";
            case OBJECT -> "OBJECT";
            case ARRAY -> "ARRAY";
            case NULL -> "NULL";
            default -> "MISSING";
        };
    }

    private static void requireObject(byte kind, String name) throws RtcpParseException {
        if (kind != OBJECT) {
            throw new RtcpParseException(name + " is " + nodeType(kind) + ", expected an object", -1);
        }
    }

    /** An unsigned 32-bit field of a slot; negative values (signed printing) are taken modulo 2^32. */
    private static long u32(Fields f, int slot, String name, long absent) throws RtcpParseException {
        long v = integer(f, slot, name, Long.MIN_VALUE, Integer.MIN_VALUE, U32_MAX);
        return v == Long.MIN_VALUE ? absent : v & U32_MAX;
    }

    /** A non-negative field kept as sent (NTP words: some agents overflow 32 bits). */
    private static long u64(Fields f, int slot, String name) throws RtcpParseException {
        long v = integer(f, slot, name, 0, Integer.MIN_VALUE, Long.MAX_VALUE);
        return v < 0 ? v & U32_MAX : v;
    }

    /** {@link #integer(JsonNode, String, long, long, long)} of a slot: the same rules and messages. */
    private static long integer(Fields f, int slot, String name, long absent, long min, long max)
            throws RtcpParseException {
        long v;
        switch (f.kind[slot]) {
            case ABSENT, NULL -> {
                return absent;
            }
            case INT -> v = f.num[slot];
            case BIG_INT -> throw new RtcpParseException(name + " " + f.text[slot] + " is out of range", -1);
            case FLOAT -> v = rounded(f.real[slot], name);
            case TEXT -> v = parseText(f.text[slot], name);
            default -> throw new RtcpParseException(name + " is " + nodeType(f.kind[slot]) + ", expected a number", -1);
        }
        return inRange(v, name, min, max);
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

    private JsonNode readTree(byte[] json) throws RtcpParseException {
        if (json == null || json.length == 0) {
            throw new RtcpParseException("empty JSON payload", 0);
        }
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JacksonException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new RtcpParseException("unreadable JSON: " + e.getMessage(), -1, e);
        }
        if (root == null || !root.isObject()) {
            throw new RtcpParseException("JSON root is " + (root == null ? "missing" : root.getNodeType())
                    + ", expected an object", 0);
        }
        return root;
    }

    private static RtcpParseException malformed(JacksonException e) {
        JsonLocation loc = e.getLocation();
        long off = loc == null ? -1 : loc.getByteOffset() >= 0 ? loc.getByteOffset() : loc.getCharOffset();
        return new RtcpParseException("malformed JSON: " + e.getOriginalMessage(), off, e);
    }

    /** An unsigned 32-bit field; negative values (signed printing) are taken modulo 2^32. */
    private static long u32(JsonNode n, String name, long absent) throws RtcpParseException {
        long v = integer(n, name, Long.MIN_VALUE, Integer.MIN_VALUE, U32_MAX);
        return v == Long.MIN_VALUE ? absent : v & U32_MAX;
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
            v = rounded(n.doubleValue(), name);
        } else if (n.isTextual()) {
            v = parseText(n.asText(), name);
        } else {
            throw new RtcpParseException(name + " is " + n.getNodeType() + ", expected a number", -1);
        }
        return inRange(v, name, min, max);
    }

    /** A fractional JSON number rounded to an integer. */
    private static long rounded(double d, String name) throws RtcpParseException {
        if (!Double.isFinite(d) || d > Long.MAX_VALUE || d < Long.MIN_VALUE) {
            throw new RtcpParseException(name + " " + d + " is out of range", -1);
        }
        return Math.round(d);
    }

    private static long inRange(long v, String name, long min, long max) throws RtcpParseException {
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
