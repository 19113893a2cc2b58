package io.hepstack.collector.correlate;

import io.hepstack.collector.qos.Codec;
import io.hepstack.collector.qos.QosAccumulator;
import io.hepstack.collector.qos.ReportQuality;
import io.hepstack.collector.protocol.rtcp.QosReport;
import io.hepstack.collector.protocol.rtcp.RtcpReport;

import java.util.List;

/**
 * The quality reports of one media leg of a call. A leg takes RTCP or agent QoS reports, whichever
 * comes first, and ignores the other kind (both describe the same packets; feeding both would
 * count them twice, see {@link QosAccumulator}).
 */
final class QosLeg {

    enum Kind { RTCP, QOS_REPORT }

    final QosAccumulator accumulator;
    Kind kind;
    /** SSRC of the reported stream (the sender's), or -1. */
    long ssrc = -1;
    /** {@code mos_source}: xr, agent or computed — of the latest report that gave a MOS. */
    String mosSource;
    int ignored;

    QosLeg(Codec codec) {
        this.accumulator = new QosAccumulator(codec);
    }

    /** Adds an RTCP report; returns false when this leg takes agent reports instead. */
    boolean add(RtcpReport r, long captureMicros) {
        if (kind == Kind.QOS_REPORT) {
            ignored++;
            return false;
        }
        kind = Kind.RTCP;
        List<ReportQuality> qs = accumulator.add(r, captureMicros);
        for (ReportQuality q : qs) {
            note(q);
        }
        return true;
    }

    /** Adds one report block (the correlator picked the block that belongs to this leg). */
    boolean add(RtcpReport r, RtcpReport.ReportBlock block, long captureMicros) {
        if (kind == Kind.QOS_REPORT) {
            ignored++;
            return false;
        }
        kind = Kind.RTCP;
        note(accumulator.add(r, block, captureMicros));
        return true;
    }

    boolean add(QosReport r, long captureMicros) {
        if (kind == Kind.RTCP) {
            ignored++;
            return false;
        }
        kind = Kind.QOS_REPORT;
        note(accumulator.add(r, captureMicros));
        return true;
    }

    private void note(ReportQuality q) {
        if (q == null) {
            return;
        }
        if (q.sourceSsrc() >= 0) {
            ssrc = q.sourceSsrc();
        }
        if (!Double.isNaN(q.mos())) {
            mosSource = switch (q.qualitySource()) {
                case XR -> "xr";
                case AGENT -> "agent";
                case E_MODEL -> "computed";
            };
        }
    }
}
