package io.hepstack.collector.qos;

import io.hepstack.collector.protocol.rtcp.QosReport;
import io.hepstack.collector.protocol.rtcp.RtcpReport;
import io.hepstack.collector.protocol.rtcp.XrBlock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the quality reports of one call leg (RTCP as binary or JSON, RTCP XR, agent QoS reports)
 * and keeps the per-leg aggregates the TDR shows. The correlator decides what a leg is (an SSRC,
 * a media ip:port, a Call-ID) and feeds each leg's reports to its own accumulator; it should feed
 * either RTCP or agent QoS reports for a leg, not both, or packets are counted twice.
 *
 * <h2>Per report</h2>
 * {@link #add(RtcpReport, long)} turns every report block (and every XR VoIP Metrics block without
 * a report block for its stream) into a {@link ReportQuality}:
 * <ul>
 * <li><b>expected / lost</b>: for the interval since the previous report of the same reporter about
 *     the same source, RFC 3550 §6.4.1 / A.3: expected = difference of the extended highest sequence
 *     numbers, lost = difference of the cumulative lost (held within 0..expected). A block identical
 *     to the previous one of its stream (the same packet captured twice) is ignored entirely. A jump
 *     of more than 65536 (a whole 16-bit cycle) is taken as a restart: new baseline, counts unknown;
 *     a block older than the baseline (arrived late) has unknown counts. The first report of a
 *     stream has no predecessor, and RTCP does not carry the first sequence number: when the report
 *     is an SR with exactly one report block, the reporter's own sent-packet count stands in for the
 *     expected count (assumes both directions carry the same packet rate; flagged
 *     {@link ReportQuality#countsEstimated()}) and the cumulative lost is the lost count; otherwise the
 *     counts are unknown.</li>
 * <li><b>loss %</b>: the reporter's fraction lost × 100/256 (the interval loss RFC 3550 defines),
 *     or the XR loss rate.</li>
 * <li><b>jitter ms</b>: interarrival jitter / codec clock rate × 1000 (8 kHz unless the codec says
 *     otherwise).</li>
 * <li><b>RTT ms</b>: {@link RoundTripTime}: capture(RR) − capture(SR) − DLSR when this accumulator
 *     saw the SR whose NTP time the block's LSR echoes (the last {@value #MAX_REMEMBERED_SRS} SRs
 *     are remembered), else A − LSR − DLSR with A = capture time (needs synchronised clocks); else
 *     the XR round trip delay when non-zero.</li>
 * <li><b>R and MOS</b>: from a VoIP Metrics block for the same source SSRC when it has them (MOS-CQ,
 *     else MOS-LQ), unchanged; otherwise computed by the {@link EModel} from the loss %, jitter, RTT
 *     (the latest known RTT of the leg when the report has none, else 0) and the codec.</li>
 * </ul>
 * {@link #add(QosReport, long)} takes the agent's counts, jitter, MOS and R-factor unchanged (MOS and
 * R computed when absent). Counts of {@code PERIODIC}/{@code HANGUP} reports are per interval and
 * summed per stream; a {@code FINAL} report's counts cover the whole stream and replace that sum.
 *
 * <h2>Per leg</h2>
 * {@link #snapshot()}: see {@link LegQuality}. Memory is bounded: at most
 * {@value #MAX_TRACKED_STREAMS} streams are tracked for interval counting; reports about further
 * streams still count for jitter, loss %, RTT and MOS.
 *
 * <p>Not thread-safe: one owner (the correlator's call state) feeds it.
 */
public final class QosAccumulator {

    /** BurstR used when nothing says the loss is bursty: random loss. */
    public static final double DEFAULT_BURST_RATIO = 1.0;
    /** Largest sequence-number advance taken as one reporting interval. */
    public static final long MAX_INTERVAL_PACKETS = 65_536;
    /** Streams (reporter + source SSRC, or QoS report stream) tracked for interval counts. */
    public static final int MAX_TRACKED_STREAMS = 64;
    /** SRs remembered (NTP middle 32 bits → capture time) for the RTT. */
    public static final int MAX_REMEMBERED_SRS = 16;

    private static final long U32 = 0xffff_ffffL;

    private final EModel model;
    private final double burstRatio;
    private Codec codec;

    private final Map<Long, RtcpReport.ReportBlock> lastBlock = new HashMap<>();
    private final Map<Long, XrBlock.VoipMetrics> lastXr = new HashMap<>();
    private final Map<String, QosStream> qosStreams = new HashMap<>();
    private final Map<Long, Long> srCaptureMicros = new LinkedHashMap<>(32, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > MAX_REMEMBERED_SRS;
        }
    };
    private long rtcpExpected;
    private long rtcpLost;

    private int reports;
    private long firstMicros = -1;
    private long lastMicros = -1;
    private final Stat loss = new Stat();
    private final Stat jitter = new Stat();
    private final Stat rtt = new Stat();
    private final Stat mos = new Stat();
    private final Stat rFactor = new Stat();

    /** An accumulator for a leg using {@code codec}, the default E-model and random loss. */
    public QosAccumulator(Codec codec) {
        this(codec, new EModel(), DEFAULT_BURST_RATIO);
    }

    /**
     * @param codec      codec of the leg (from the SDP rtpmap, {@link Codec#fromRtpmap(String)})
     * @param model      the E-model for reports without R/MOS
     * @param burstRatio BurstR for the E-model, ≥ 1
     */
    public QosAccumulator(Codec codec, EModel model, double burstRatio) {
        if (codec == null || model == null) {
            throw new IllegalArgumentException("codec and model must not be null: codec=" + codec + ", model=" + model);
        }
        if (!(burstRatio >= 1 && Double.isFinite(burstRatio))) {
            throw new IllegalArgumentException("burst ratio must be >= 1: " + burstRatio);
        }
        this.codec = codec;
        this.model = model;
        this.burstRatio = burstRatio;
    }

    /** The codec used for jitter conversion and the E-model. */
    public Codec codec() {
        return codec;
    }

    /** Changes the codec (e.g. the SDP answer arrived after the first RTCP); applies to later reports. */
    public void codec(Codec newCodec) {
        if (newCodec == null) {
            throw new IllegalArgumentException("codec must not be null");
        }
        this.codec = newCodec;
    }

    /**
     * Adds every report block and every unmatched XR VoIP Metrics block of an RTCP report.
     *
     * @param captureMicros HEP capture time, µs since the epoch (≤ 0 when unknown: no RTT then)
     * @return the qualities computed, in block order; duplicates give none
     */
    public List<ReportQuality> add(RtcpReport report, long captureMicros) {
        rememberSr(report, captureMicros);
        List<ReportQuality> out = new ArrayList<>(report.reportBlocks().size() + 1);
        List<XrBlock.VoipMetrics> vms = report.voipMetrics();
        boolean[] used = new boolean[vms.size()];
        for (RtcpReport.ReportBlock block : report.reportBlocks()) {
            int vm = matchXr(vms, block.sourceSsrc());
            if (vm >= 0) {
                used[vm] = true;
            }
            ReportQuality q = addBlock(report, block, vm >= 0 ? vms.get(vm) : null, captureMicros);
            if (q != null) {
                out.add(q);
            }
        }
        for (int i = 0; i < vms.size(); i++) {
            if (!used[i]) {
                ReportQuality q = addXr(vms.get(i), captureMicros);
                if (q != null) {
                    out.add(q);
                }
            }
        }
        return out;
    }

    /**
     * Adds one report block of {@code report} (for a correlator that picks blocks by SSRC); an XR
     * VoIP Metrics block of the same report about the same source is used for R and MOS.
     *
     * @return the quality, or {@code null} for a duplicate
     */
    public ReportQuality add(RtcpReport report, RtcpReport.ReportBlock block, long captureMicros) {
        rememberSr(report, captureMicros);
        List<XrBlock.VoipMetrics> vms = report.voipMetrics();
        int vm = matchXr(vms, block.sourceSsrc());
        return addBlock(report, block, vm >= 0 ? vms.get(vm) : null, captureMicros);
    }

    /**
     * Adds an agent QoS report (HEP 32/34/35).
     *
     * @return the quality, or {@code null} for a duplicate of the stream's previous report
     */
    public ReportQuality add(QosReport report, long captureMicros) {
        String key = streamKey(report);
        QosStream stream = qosStreams.get(key);
        if (stream == null && qosStreams.size() < MAX_TRACKED_STREAMS) {
            stream = new QosStream();
            qosStreams.put(key, stream);
        }
        if (stream != null) {
            if (report.equals(stream.last)) {
                return null;
            }
            stream.last = report;
        }
        long expected = report.expectedOrDerived();
        long lost = report.lost();
        if (expected < 0 || lost < 0 || lost > expected) {
            expected = -1;
            lost = -1;
        } else if (stream != null) {
            if (report.cumulative()) {
                if (captureMicros >= stream.finalMicros) {
                    stream.finalMicros = captureMicros;
                    stream.finalExpected = expected;
                    stream.finalLost = lost;
                }
            } else {
                stream.intervalExpected += expected;
                stream.intervalLost += lost;
            }
        }
        double lossPct = expected > 0 ? lost * 100.0 / expected : expected == 0 ? 0.0 : report.lossPct();
        double jitterMs = !Double.isNaN(report.jitterMs()) ? report.jitterMs() : report.jitterMeanMs();
        double m = !Double.isNaN(report.mos()) ? report.mos() : report.mosMean();
        double r = !Double.isNaN(report.rFactor()) ? report.rFactor() : report.rFactorMean();
        return finish(ReportQuality.Kind.QOS_REPORT, captureMicros, -1, report.ssrc(), expected, lost, false,
                lossPct, jitterMs, report.rttMs(), r, m, ReportQuality.QualitySource.AGENT);
    }

    /** The leg's aggregates now. */
    public LegQuality snapshot() {
        long packets = rtcpExpected;
        long lostTotal = rtcpLost;
        for (QosStream s : qosStreams.values()) {
            packets += s.finalExpected >= 0 ? s.finalExpected : s.intervalExpected;
            lostTotal += s.finalExpected >= 0 ? s.finalLost : s.intervalLost;
        }
        double lossPct = packets > 0 ? lostTotal * 100.0 / packets : loss.avg();
        return new LegQuality(codec.name(), reports, packets, lostTotal, lossPct, loss.max,
                jitter.latest, jitter.avg(), jitter.max, rtt.latest, rtt.avg(), rtt.max,
                mos.latest, mos.avg(), mos.min, rFactor.latest, rFactor.avg(), rFactor.min,
                firstMicros, lastMicros);
    }

    // ------------------------------------------------------------------ internals

    private ReportQuality addBlock(RtcpReport report, RtcpReport.ReportBlock block, XrBlock.VoipMetrics vm,
                                   long captureMicros) {
        long key = (block.reporterSsrc() << 32) | (block.sourceSsrc() & U32);
        RtcpReport.ReportBlock prev = lastBlock.get(key);
        long expected = -1;
        long lost = -1;
        boolean estimated = false;
        if (prev != null) {
            if (prev.equals(block)) {
                return null; // the same report captured twice
            }
            long delta = (block.extHighestSeq() - prev.extHighestSeq()) & U32;
            if (delta <= MAX_INTERVAL_PACKETS) {
                expected = delta;
                lost = Math.max(0, Math.min(delta, (long) block.cumulativeLost() - prev.cumulativeLost()));
                lastBlock.put(key, block);
            } else if (delta < (1L << 31)) {
                lastBlock.put(key, block); // restart or broken reporter: new baseline
            }
            // else: older than the baseline, arrived late; counts unknown, baseline kept
        } else {
            if (lastBlock.size() < MAX_TRACKED_STREAMS) {
                lastBlock.put(key, block);
            }
            RtcpReport.SenderInfo si = report.senderInfo();
            long cum = Math.max(0, block.cumulativeLost());
            if (si != null && report.reportBlocks().size() == 1 && block.reporterSsrc() == report.senderSsrc()
                    && si.packetCount() > 0 && cum <= si.packetCount()) {
                expected = si.packetCount();
                lost = cum;
                estimated = true;
            }
        }
        if (expected >= 0) {
            rtcpExpected += expected;
            rtcpLost += lost;
        }
        double jitterMs = block.jitter() * 1000.0 / codec.clockRate();
        double rttMs = Double.NaN;
        Long srSeen = block.lsr() == 0 ? null : srCaptureMicros.get(block.lsr());
        if (srSeen != null) {
            rttMs = RoundTripTime.fromCaptureTimes(srSeen, block.dlsr(), captureMicros);
        } else {
            rttMs = RoundTripTime.fromReportBlock(block.lsr(), block.dlsr(), captureMicros);
        }
        double r = Double.NaN;
        double m = Double.NaN;
        if (vm != null) {
            r = vm.rFactorValue();
            m = xrMos(vm);
            if (Double.isNaN(rttMs) && vm.roundTripDelayMs() > 0) {
                rttMs = vm.roundTripDelayMs();
            }
        }
        return finish(ReportQuality.Kind.RTCP, captureMicros, block.reporterSsrc(), block.sourceSsrc(), expected,
                lost, estimated, block.fractionLostPct(), jitterMs, rttMs, r, m, ReportQuality.QualitySource.XR);
    }

    private ReportQuality addXr(XrBlock.VoipMetrics vm, long captureMicros) {
        long key = (vm.reporterSsrc() << 32) | (vm.sourceSsrc() & U32);
        XrBlock.VoipMetrics prev = lastXr.get(key);
        if (vm.equals(prev)) {
            return null;
        }
        if (prev != null || lastXr.size() < MAX_TRACKED_STREAMS) {
            lastXr.put(key, vm);
        }
        double rttMs = vm.roundTripDelayMs() > 0 ? vm.roundTripDelayMs() : Double.NaN;
        return finish(ReportQuality.Kind.RTCP_XR, captureMicros, vm.reporterSsrc(), vm.sourceSsrc(), -1, -1, false,
                vm.lossRatePct(), Double.NaN, rttMs, vm.rFactorValue(), xrMos(vm), ReportQuality.QualitySource.XR);
    }

    /** Completes R/MOS with the E-model where the report had none, records the aggregates. */
    private ReportQuality finish(ReportQuality.Kind kind, long captureMicros, long reporter, long sourceSsrc,
                                 long expected, long lost, boolean estimated, double lossPct, double jitterMs,
                                 double rttMs, double r, double m, ReportQuality.QualitySource reported) {
        ReportQuality.QualitySource source = reported;
        if (Double.isNaN(r) || Double.isNaN(m)) {
            double rttIn = !Double.isNaN(rttMs) ? rttMs : !Double.isNaN(rtt.latest) ? rtt.latest : 0.0;
            EModel.Result e = model.evaluate(codec,
                    Double.isNaN(lossPct) ? 0.0 : Math.min(100.0, Math.max(0.0, lossPct)),
                    burstRatio, Math.min(rttIn, RoundTripTime.MAX_RTT_MS),
                    Double.isNaN(jitterMs) ? 0.0 : Math.min(jitterMs, 60_000.0));
            if (Double.isNaN(r)) {
                r = e.r();
            }
            if (Double.isNaN(m)) {
                m = e.mos();
                source = ReportQuality.QualitySource.E_MODEL;
            }
        }
        reports++;
        if (firstMicros < 0 || captureMicros < firstMicros) {
            firstMicros = captureMicros;
        }
        lastMicros = Math.max(lastMicros, captureMicros);
        loss.add(lossPct, captureMicros);
        jitter.add(jitterMs, captureMicros);
        rtt.add(rttMs, captureMicros);
        mos.add(m, captureMicros);
        rFactor.add(r, captureMicros);
        return new ReportQuality(captureMicros, kind, reporter, sourceSsrc, expected, lost, estimated, lossPct,
                jitterMs, rttMs, r, m, source);
    }

    /** Keeps the earliest capture time of each SR (the same SR may be captured at several points). */
    private void rememberSr(RtcpReport report, long captureMicros) {
        RtcpReport.SenderInfo si = report.senderInfo();
        if (si != null && captureMicros > 0) {
            long middle = si.ntpMiddle32();
            Long seen = srCaptureMicros.get(middle);
            if (seen == null || captureMicros < seen) {
                srCaptureMicros.put(middle, captureMicros);
            }
        }
    }

    private static int matchXr(List<XrBlock.VoipMetrics> vms, long sourceSsrc) {
        for (int i = 0; i < vms.size(); i++) {
            if (vms.get(i).sourceSsrc() == sourceSsrc) {
                return i;
            }
        }
        return -1;
    }

    /** MOS-CQ (conversational, comparable with the E-model's), else MOS-LQ, else NaN. */
    private static double xrMos(XrBlock.VoipMetrics vm) {
        double cq = vm.mosCqValue();
        return !Double.isNaN(cq) ? cq : vm.mosLqValue();
    }

    private static String streamKey(QosReport r) {
        if (r.ssrc() >= 0) {
            return "ssrc:" + r.ssrc();
        }
        if (r.srcIp() != null || r.dstIp() != null) {
            return r.srcIp() + ':' + r.srcPort() + '>' + r.dstIp() + ':' + r.dstPort() + '/' + r.direction();
        }
        return "name:" + r.reportName() + '/' + r.direction() + '/' + r.party();
    }

    /** Counts of one agent-reported stream. */
    private static final class QosStream {
        QosReport last;
        long intervalExpected;
        long intervalLost;
        long finalMicros = Long.MIN_VALUE;
        long finalExpected = -1;
        long finalLost = -1;
    }

    /** Mean, extremes and latest (by capture time) of one metric, ignoring NaN. */
    private static final class Stat {
        double sum;
        int n;
        double min = Double.NaN;
        double max = Double.NaN;
        double latest = Double.NaN;
        long latestMicros = Long.MIN_VALUE;

        void add(double v, long micros) {
            if (Double.isNaN(v)) {
                return;
            }
            sum += v;
            n++;
            min = n == 1 ? v : Math.min(min, v);
            max = n == 1 ? v : Math.max(max, v);
            if (micros >= latestMicros) {
                latestMicros = micros;
                latest = v;
            }
        }

        double avg() {
            return n == 0 ? Double.NaN : sum / n;
        }
    }
}
