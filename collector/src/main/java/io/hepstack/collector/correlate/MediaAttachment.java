package io.hepstack.collector.correlate;

import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.CorrelationRole;
import io.hepstack.collector.protocol.rtcp.QosReport;
import io.hepstack.collector.protocol.rtcp.RtcpReport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Joins RTCP, agent QoS reports and logs to their call: by HEP correlation id (the Call-ID, maybe
 * with a configured suffix), then for media reports by the Call-ID or correlation id the report
 * carries, an SDP media address and a learned SSRC. Feeds each media report to the leg whose
 * stream it describes and learns the SSRCs it names (docs/tdr.md, "Other protocols", "Media legs
 * and quality"). A message naming a call not seen yet, or a report naming none whose addresses no
 * SDP announced yet, waits in the {@link OrphanBuffer}. One whose call closed a short while ago
 * joins it in {@link ClosedCalls}, and the call's TDR is written again.
 *
 * <p>Not thread-safe: the correlator's worker owns it.
 */
final class MediaAttachment {

    private final CorrelationConfig config;
    private final CorrelationMetrics metrics;
    private final CallTable table;
    private final ClosedCalls recent;
    private final OrphanBuffer orphans;
    private final WriteScheduler writes;
    private final MediaIndex media;
    private final CorrelationIds ids;
    private final Canonical canonical;
    private final LongSupplier clock;

    MediaAttachment(CorrelationConfig config, CorrelationMetrics metrics, CallTable table, ClosedCalls recent,
                    OrphanBuffer orphans, WriteScheduler writes, MediaIndex media, CorrelationIds ids,
                    Canonical canonical, LongSupplier clock) {
        this.config = config;
        this.metrics = metrics;
        this.table = table;
        this.recent = recent;
        this.orphans = orphans;
        this.writes = writes;
        this.media = media;
        this.ids = ids;
        this.canonical = canonical;
        this.clock = clock;
    }

    /**
     * An RTCP or QoS report; one that names no call and whose addresses no SDP announced yet waits
     * for them when {@code mayWait} (it is not waiting already).
     */
    void onMedia(CapturedMessage m, boolean mayWait) {
        String cid = m.correlationKey();
        CallRecord call = byCorrelationId(cid);
        Object report = m.mediaReport(); // once per message: a protocol may build it (vq-rtcpxr)
        QosReport q = report instanceof QosReport qr ? qr : null;
        if (call == null && q != null) {
            call = byCorrelationId(q.callId());
            if (call == null) {
                call = byCorrelationId(q.correlationId());
            }
        }
        if (call == null) {
            MediaIndex.Ref ref = mediaRef(m, report, media::address, media::ssrc);
            if (ref != null) {
                call = ref.call();
            }
        }
        if (call == null) {
            call = closedCall(m, cid, q, report);
        }
        if (call == null) {
            String named = cid != null && !cid.isEmpty() ? cid : q != null && q.callId() != null ? q.callId() : null;
            if (named != null || !mayWait || !orphans.waitForMedia(m, addresses(m, q))) {
                orphans.unattached(m, named);
            }
            return;
        }
        attachNonSip(call, m, report);
    }

    /** A log line: joins only by correlation id. */
    void onLog(CapturedMessage m) {
        String cid = m.correlationKey();
        if (cid == null || cid.isEmpty()) {
            return; // not meant to join anything
        }
        CallRecord call = byCorrelationId(cid);
        if (call == null) {
            call = recent.call(ids.stripSuffix(cid), m.timestampMicros());
        }
        if (call == null) {
            orphans.unattached(m, cid);
            return;
        }
        attachNonSip(call, m, null);
    }

    /** Counts a media report or log in its call; a media report feeds its leg and is reported as a call event. */
    void attachNonSip(CallRecord call, CapturedMessage m) {
        attachNonSip(call, m, m.protocol.role() == CorrelationRole.MEDIA_REPORT ? m.mediaReport() : null);
    }

    /** As above, with the message's media report already at hand (null for a log). */
    private void attachNonSip(CallRecord call, CapturedMessage m, Object report) {
        m.callId = call.callId;
        call.add(m, 0, clock.getAsLong(), canonical);
        if (m.protocol.role() == CorrelationRole.MEDIA_REPORT) {
            call.rtcp++;
            if (config.qos) {
                quality(call, m, report);
            }
            writes.callEvent(CallEvent.Type.MEDIA_REPORT, call);
        } else {
            call.logs++;
        }
        if (call.closed) {
            metrics.lateJoined.mark();
            writes.late(call); // the final TDR again, with what arrived after it
        } else {
            writes.quietChange(call); // a report or a log changes no SIP state (status, times, parties)
        }
    }

    /**
     * Feeds a report to the leg whose stream it describes. {@code a_leg} is the stream the caller
     * sends, {@code b_leg} the callee's (docs/tdr.md, "Media legs and quality").
     */
    private void quality(CallRecord call, CapturedMessage m, Object report) {
        long t = m.timestampMicros();
        RtcpReport r = report instanceof RtcpReport rr ? rr : null;
        QosReport q = report instanceof QosReport qr ? qr : null;
        if (r != null) {
            Side sender = rtcpStreamSender(call, m, r);
            QosLeg leg = call.leg(sender.leg());
            leg.add(r, t);
            for (RtcpReport.ReportBlock b : r.reportBlocks()) {
                learn(b.sourceSsrc(), call, sender);
            }
            if (r.senderSsrc() >= 0) {
                learn(r.senderSsrc(), call, sender.other());
            }
        } else if (q != null) {
            Side sender = qosStreamSender(call, q, t);
            call.leg(sender.leg()).add(q, t);
            learn(q.ssrc(), call, sender);
        }
    }

    /** Remembers whose stream an SSRC is: in the live index, or for a closed call with the call kept. */
    private void learn(long ssrc, CallRecord call, Side side) {
        if (call.closed) {
            recent.learnSsrc(ssrc, call, side); // the live index would keep it past the call
        } else {
            media.learn(ssrc, call, side);
        }
    }

    /** The call's side of an address: the live index, or the kept one for a closed call. */
    private MediaIndex.Ref address(CallRecord call, String ip, int port, long micros) {
        return call.closed ? recent.address(ip, port, micros) : media.address(ip, port);
    }

    /** The call's side of a stream: the live index, or the kept one for a closed call. */
    private MediaIndex.Ref ssrc(CallRecord call, long ssrc, long micros) {
        return call.closed ? recent.ssrc(ssrc, micros) : media.ssrc(ssrc);
    }

    /**
     * The recently closed call a report belongs to: the one it names (correlation id, the QoS
     * report's Call-ID or correlation id), else whose media address or stream it is.
     */
    private CallRecord closedCall(CapturedMessage m, String cid, QosReport q, Object report) {
        long t = m.timestampMicros();
        CallRecord c = closedByCorrelationId(cid, t);
        if (c == null && q != null) {
            c = closedByCorrelationId(q.callId(), t);
            if (c == null) {
                c = closedByCorrelationId(q.correlationId(), t);
            }
        }
        if (c != null) {
            return c;
        }
        MediaIndex.Ref ref = mediaRef(m, report, (ip, port) -> recent.address(ip, port, t), s -> recent.ssrc(s, t));
        return ref == null ? null : ref.call();
    }

    private CallRecord closedByCorrelationId(String cid, long micros) {
        return cid == null || cid.isEmpty() ? null : recent.call(ids.stripSuffix(cid), micros);
    }

    /**
     * The side that sends the stream an RTCP report describes. The reporter is the receiver: its
     * address (HEP source) on one side's SDP means the stream comes from the other side; the
     * report's destination (the stream's sender, RFC 3550 §6.4) on a side's SDP means that side.
     * Then SSRCs learned earlier, then addresses without ports, then signalling addresses; else
     * the caller.
     */
    private Side rtcpStreamSender(CallRecord call, CapturedMessage m, RtcpReport r) {
        String src = m.hep.srcIpText();
        String dst = m.hep.dstIpText();
        long t = m.timestampMicros();
        MediaIndex.Ref ref = address(call, src, m.hep.srcPort, t);
        if (ref != null && ref.call() == call) {
            return ref.side().other();
        }
        ref = address(call, dst, m.hep.dstPort, t);
        if (ref != null && ref.call() == call) {
            return ref.side();
        }
        for (RtcpReport.ReportBlock b : r.reportBlocks()) {
            ref = ssrc(call, b.sourceSsrc(), t);
            if (ref != null && ref.call() == call) {
                return ref.side();
            }
        }
        ref = ssrc(call, r.senderSsrc(), t);
        if (ref != null && ref.call() == call) {
            return ref.side().other();
        }
        Side s = sideOfIp(call, src);
        if (s != null) {
            return s.other();
        }
        s = sideOfIp(call, dst);
        return s != null ? s : Side.CALLER;
    }

    /** The side that sends the stream an agent QoS report describes (its SRC_IP:SRC_PORT). */
    private Side qosStreamSender(CallRecord call, QosReport q, long t) {
        MediaIndex.Ref ref = address(call, q.srcIp(), q.srcPort(), t);
        if (ref != null && ref.call() == call) {
            return ref.side();
        }
        ref = address(call, q.dstIp(), q.dstPort(), t);
        if (ref != null && ref.call() == call) {
            return ref.side().other();
        }
        ref = ssrc(call, q.ssrc(), t);
        if (ref != null && ref.call() == call) {
            return ref.side();
        }
        Side s = sideOfIp(call, q.srcIp());
        if (s != null) {
            return s;
        }
        s = sideOfIp(call, q.dstIp());
        return s != null ? s.other() : Side.CALLER;
    }

    /** A side whose SDP address, else signalling address, is {@code ip} (exactly one side). */
    private static Side sideOfIp(CallRecord call, String ip) {
        if (ip == null) {
            return null;
        }
        boolean a = call.caller.media != null && ip.equals(call.caller.media.ip());
        boolean b = call.callee.media != null && ip.equals(call.callee.media.ip());
        if (a != b) {
            return a ? Side.CALLER : Side.CALLEE;
        }
        a = ip.equals(call.caller.ip);
        b = ip.equals(call.callee.ip);
        if (a != b) {
            return a ? Side.CALLER : Side.CALLEE;
        }
        return null;
    }

    /** Looks up a media address. */
    private interface Addresses {
        MediaIndex.Ref find(String ip, int port);
    }

    /**
     * The call side of a report by address (HEP, then the QoS report's own) or SSRC, or null; in
     * the live index ({@code media}) or the closed calls' ({@link #closedCall}).
     */
    private static MediaIndex.Ref mediaRef(CapturedMessage m, Object report, Addresses addresses,
                                           java.util.function.LongFunction<MediaIndex.Ref> ssrcs) {
        MediaIndex.Ref ref = addresses.find(m.hep.srcIpText(), m.hep.srcPort);
        if (ref == null) {
            ref = addresses.find(m.hep.dstIpText(), m.hep.dstPort);
        }
        QosReport q = report instanceof QosReport qr ? qr : null;
        if (ref == null && q != null) {
            ref = addresses.find(q.srcIp(), q.srcPort());
            if (ref == null) {
                ref = addresses.find(q.dstIp(), q.dstPort());
            }
            if (ref == null) {
                ref = ssrcs.apply(q.ssrc());
            }
        }
        RtcpReport r = report instanceof RtcpReport rr ? rr : null;
        if (ref == null && r != null) {
            ref = ssrcs.apply(r.senderSsrc());
            for (int i = 0; ref == null && i < r.reportBlocks().size(); i++) {
                ref = ssrcs.apply(r.reportBlocks().get(i).sourceSsrc());
            }
        }
        return ref;
    }

    /** The addresses a report's stream may be announced at: its HEP source and destination, a QoS report's own. */
    private static List<String> addresses(CapturedMessage m, QosReport q) {
        List<String> out = new ArrayList<>(4);
        address(out, m.hep.srcIpText(), m.hep.srcPort);
        address(out, m.hep.dstIpText(), m.hep.dstPort);
        if (q != null) {
            address(out, q.srcIp(), q.srcPort());
            address(out, q.dstIp(), q.dstPort());
        }
        return out;
    }

    private static void address(List<String> out, String ip, int port) {
        if (ip != null && port > 0) {
            String k = MediaIndex.key(ip, port);
            if (!out.contains(k)) {
                out.add(k);
            }
        }
    }

    /** The live call a correlation id names: as it is, else without its suffix. */
    private CallRecord byCorrelationId(String cid) {
        if (cid == null || cid.isEmpty()) {
            return null;
        }
        CallRecord c = table.call(cid);
        if (c == null) {
            String stripped = ids.stripSuffix(cid);
            if (stripped != cid) {
                c = table.call(stripped);
            }
        }
        return c;
    }
}
