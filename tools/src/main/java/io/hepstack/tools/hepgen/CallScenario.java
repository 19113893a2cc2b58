package io.hepstack.tools.hepgen;

import io.hepstack.collector.hep.HepPacket;
import java.util.SplittableRandom;

/**
 * One call from a user to a destination through the SBC, as the SBC's capture agent sees it:
 * the SIP dialog of its {@link CallOutcome}, RTCP reports (HEP type 5, heplify JSON) from both
 * media ends of an answered call, and a LOG line at the end. Everything about the call (tags,
 * branches, CSeq, codec, media ports, loss, jitter, timings) is drawn from its own random
 * stream when it starts.
 */
final class CallScenario extends Scenario {

    private static final int INVITE = 0, TRYING = 1, RINGING = 2, OK_INVITE = 3, ACK_2XX = 4, BYE = 5,
            OK_BYE = 6, FINAL = 7, ACK_FINAL = 8, CANCEL = 9, OK_CANCEL = 10, RTCP_SBC = 11, RTCP_CALLER = 12,
            LOG = 13;

    private static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, REFER, NOTIFY";
    private static final String SERVER = "hepgen-sbc/1.0";
    /** rtpmap payload types, names and payload bytes per 20 ms packet. */
    private static final int[] PT = {0, 8, 18};
    private static final String[] CODEC = {"PCMU/8000", "PCMA/8000", "G729/8000"};
    private static final int[] BYTES_PER_PACKET = {160, 160, 20};
    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;
    private static final long PACKET_MICROS = 20_000;

    final CallOutcome outcome;
    private final TrafficDirectory.User user;
    private final String callee;
    private final String callId;
    private final String fromTag;
    private final String toTag;
    private final String inviteBranch;
    private final long cseq;
    private final int codec;
    private final int callerMediaPort;
    private final int sbcMediaPort;
    private final long callerSessionId;
    private final long sbcSessionId;
    private final boolean callerHangsUp;
    private final long sbcCseq;
    private final long durationSeconds;
    private final long answerMicros;
    private String ackBranch;
    private String byeBranch;

    // media, per direction: index 0 = the caller's stream (reported by the SBC), 1 = the SBC's stream
    private final long[] ssrc = new long[2];
    private final long[] seqBase = new long[2];
    private final long[] rtpBase = new long[2];
    private final double[] loss = new double[2];
    private final int[] jitter = new int[2];
    private final long oneWayMicros;
    private final long[] lastSrMicros = {-1, -1};
    private final long[] prevExpected = new long[2];
    private final long[] prevLost = new long[2];

    CallScenario(long seq, Context ctx, SplittableRandom rng, long startMicros, CallOutcome outcome) {
        super(seq, ctx, rng);
        this.outcome = outcome;
        TrafficDirectory dir = ctx.directory;
        this.user = dir.user(rng.nextInt(dir.userCount()));
        this.callee = dir.destination(rng.nextInt(dir.destinationCount()));
        this.callId = hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12) + "@" + user.ipText();
        this.fromTag = hex(10);
        this.toTag = hex(10);
        this.inviteBranch = branch();
        this.cseq = rng.nextInt(1, 10_000);
        int c = rng.nextInt(10);
        this.codec = c < 4 ? 1 : c < 8 ? 0 : 2; // PCMA 40 %, PCMU 40 %, G.729 20 %
        this.callerMediaPort = 2 * rng.nextInt(5_000, 15_000);
        this.sbcMediaPort = 2 * rng.nextInt(10_000, 20_000);
        this.callerSessionId = rng.nextLong(100_000_000L, 1_000_000_000L);
        this.sbcSessionId = rng.nextLong(100_000_000L, 1_000_000_000L);
        this.callerHangsUp = rng.nextInt(10) < 6;
        this.sbcCseq = rng.nextInt(1, 10_000);
        for (int d = 0; d < 2; d++) {
            ssrc[d] = rng.nextLong(1, 1L << 32);
            seqBase[d] = rng.nextInt(0, 1 << 16);
            rtpBase[d] = rng.nextLong(0, 1L << 32);
            int q = rng.nextInt(100);
            loss[d] = q < 70 ? rng.nextDouble(0, 0.005) : q < 95 ? rng.nextDouble(0.005, 0.03) : rng.nextDouble(0.03, 0.08);
            jitter[d] = q < 70 ? rng.nextInt(8, 160) : rng.nextInt(160, 480);
        }
        this.oneWayMicros = ms(5, 60);
        this.durationSeconds = outcome == CallOutcome.ANSWERED ? ctx.config.callDuration().sampleSeconds(rng) : 0;

        long t = startMicros;
        step(t, INVITE);
        long trying = t + ms(5, 40);
        step(trying, TRYING);
        long ringing = t + ms(150, 900);
        if (outcome.rings()) {
            step(ringing, RINGING);
        }
        long answer = -1;
        long end;
        switch (outcome) {
            case ANSWERED: {
                answer = ringing + ms(500, 6000);
                step(answer, OK_INVITE);
                step(answer + ms(20, 120), ACK_2XX);
                long bye = answer + durationSeconds * 1_000_000L;
                rtcpSteps(answer, bye);
                step(bye, BYE);
                end = bye + ms(10, 80);
                step(end, OK_BYE);
                break;
            }
            case CANCELLED: {
                long cancel = ringing + ms(2_000, 20_000);
                step(cancel, CANCEL);
                long ok = cancel + ms(5, 40);
                step(ok, OK_CANCEL);
                long terminated = ok + ms(1, 10);
                step(terminated, FINAL);
                end = terminated + ms(2, 20);
                step(end, ACK_FINAL);
                break;
            }
            default: {
                long fin = switch (outcome) {
                    case BUSY -> trying + ms(300, 3_000);
                    case DECLINED -> ringing + ms(2_000, 15_000);
                    case NO_ANSWER -> ringing + ms(30_000, 60_000);
                    default -> trying + ms(20, 500); // 503, 404
                };
                step(fin, FINAL);
                end = fin + ms(2, 20);
                step(end, ACK_FINAL);
            }
        }
        this.answerMicros = answer;
        if (ctx.config.logs()) {
            step(end + 1_000, LOG);
        }
        seal();
    }

    /** RTCP from the SBC, then from the caller a little later, every interval (or once, half-way). */
    private void rtcpSteps(long answer, long bye) {
        if (!ctx.config.rtcp()) {
            return;
        }
        long span = bye - answer;
        int interval = ctx.config.rtcpIntervalSeconds();
        long lag = Math.min(ms(200, 2_000), span / 4);
        if (interval == 0) {
            long mid = answer + span / 2;
            step(mid, RTCP_SBC);
            step(mid + lag, RTCP_CALLER);
            return;
        }
        long every = interval * 1_000_000L;
        for (long t = answer + every; t < bye; t += every) {
            step(t, RTCP_SBC);
            if (t + lag < bye) {
                step(t + lag, RTCP_CALLER);
            }
        }
    }

    String callId() {
        return callId;
    }

    @Override
    TrafficPacket render(int kind, long t, boolean first) {
        TrafficConfig c = ctx.config;
        byte[] callerIp = user.ip();
        int callerPort = user.port();
        int sbcPort = c.sbcPort();
        switch (kind) {
            case RTCP_SBC:
            case RTCP_CALLER:
                return rtcp(kind == RTCP_SBC ? 0 : 1, t);
            case LOG:
                return log(t, callId, "call " + callId + " from " + user.number() + " (" + user.ipText() + ") to "
                        + callee + ": " + outcome.logText()
                        + (outcome == CallOutcome.ANSWERED ? ", " + durationSeconds + "s" : ""));
            default:
                break;
        }
        boolean toSbc = kind == INVITE || kind == ACK_2XX || kind == ACK_FINAL || kind == CANCEL
                || (kind == BYE && callerHangsUp) || (kind == OK_BYE && !callerHangsUp);
        String label;
        String sip;
        switch (kind) {
            case INVITE -> { label = "INVITE"; sip = invite(); }
            case TRYING -> { label = "100"; sip = response(100, "Trying", false, "INVITE", cseq, inviteBranch, false, null); }
            case RINGING -> { label = "180"; sip = response(180, "Ringing", true, "INVITE", cseq, inviteBranch, true, null); }
            case OK_INVITE -> { label = "200"; sip = response(200, "OK", true, "INVITE", cseq, inviteBranch, true, sbcSdp()); }
            case ACK_2XX -> { label = "ACK"; sip = ack(true); }
            case FINAL -> {
                label = Integer.toString(outcome.finalCode());
                sip = response(outcome.finalCode(), outcome.reasonPhrase(), true, "INVITE", cseq, inviteBranch, false, null);
            }
            case ACK_FINAL -> { label = "ACK"; sip = ack(false); }
            case CANCEL -> { label = "CANCEL"; sip = cancel(); }
            case OK_CANCEL -> { label = "200"; sip = response(200, "OK", true, "CANCEL", cseq, inviteBranch, false, null); }
            case BYE -> { label = "BYE"; sip = bye(); }
            case OK_BYE -> { label = "200"; sip = okBye(); }
            default -> throw new IllegalStateException("unknown step " + kind);
        }
        HepPacket p = toSbc
                ? hep(callerIp, callerPort, ctx.sbcIp(user), sbcPort, t, HepPacket.PROTO_SIP, sip, null)
                : hep(ctx.sbcIp(user), sbcPort, callerIp, callerPort, t, HepPacket.PROTO_SIP, sip, null);
        return new TrafficPacket(p, label, seq, first ? outcome : null, null);
    }

    // ------------------------------------------------------------------ SIP

    private String domain() {
        return ctx.config.domain();
    }

    private StringBuilder requestUri(StringBuilder sb) {
        return sb.append("sip:").append(callee).append('@').append(domain()).append(";user=phone");
    }

    private StringBuilder callerVia(StringBuilder sb, String branch, boolean response) {
        sb.append("Via: SIP/2.0/UDP ").append(user.host()).append(':').append(user.port()).append(";branch=")
                .append(branch).append(";rport");
        if (response) {
            sb.append('=').append(user.port());
        }
        return sb.append("\r\n");
    }

    private StringBuilder fromHeader(StringBuilder sb) {
        return sb.append("From: \"").append(user.number()).append("\" <sip:").append(user.number()).append('@')
                .append(domain()).append(";user=phone>;tag=").append(fromTag).append("\r\n");
    }

    private StringBuilder toHeader(StringBuilder sb, boolean tag) {
        sb.append("To: <");
        requestUri(sb).append('>');
        if (tag) {
            sb.append(";tag=").append(toTag);
        }
        return sb.append("\r\n");
    }

    private StringBuilder common(StringBuilder sb, long n, String method) {
        return sb.append("Call-ID: ").append(callId).append("\r\nCSeq: ").append(n).append(' ').append(method)
                .append("\r\n");
    }

    private StringBuilder sbcContact(StringBuilder sb) {
        return sb.append("Contact: <sip:").append(callee).append('@').append(ctx.sbcHost(user)).append(">\r\n");
    }

    private static String withBody(StringBuilder sb, String body) {
        if (body == null) {
            return sb.append("Content-Length: 0\r\n\r\n").toString();
        }
        return sb.append("Content-Type: application/sdp\r\nContent-Length: ").append(body.length()).append("\r\n\r\n")
                .append(body).toString();
    }

    private String invite() {
        StringBuilder sb = new StringBuilder(900);
        sb.append("INVITE ");
        requestUri(sb).append(" SIP/2.0\r\n");
        callerVia(sb, inviteBranch, false);
        sb.append("Max-Forwards: 70\r\n");
        fromHeader(sb);
        toHeader(sb, false);
        common(sb, cseq, "INVITE");
        sb.append("Contact: <sip:").append(user.number()).append('@').append(user.host()).append(':')
                .append(user.port()).append(">\r\n");
        sb.append("User-Agent: ").append(user.userAgent()).append("\r\n");
        sb.append("Allow: ").append(ALLOW).append("\r\n");
        sb.append("Supported: replaces, timer\r\n");
        sb.append("P-Asserted-Identity: <sip:").append(user.number()).append('@').append(domain()).append(">\r\n");
        return withBody(sb, callerSdp());
    }

    private String response(int code, String phrase, boolean tag, String method, long n, String branch,
                            boolean contact, String sdp) {
        StringBuilder sb = new StringBuilder(sdp == null ? 450 : 850);
        sb.append("SIP/2.0 ").append(code).append(' ').append(phrase).append("\r\n");
        callerVia(sb, branch, true);
        fromHeader(sb);
        toHeader(sb, tag);
        common(sb, n, method);
        if (contact) {
            sbcContact(sb);
        }
        sb.append("Server: ").append(SERVER).append("\r\n");
        String reason = q850(code);
        if (reason != null && "INVITE".equals(method)) {
            sb.append("Reason: ").append(reason).append("\r\n");
        }
        if (code == 503) {
            sb.append("Retry-After: 30\r\n");
        }
        if (code == 200 && sdp != null) {
            sb.append("Allow: ").append(ALLOW).append("\r\nSupported: replaces, timer\r\n");
        }
        return withBody(sb, sdp);
    }

    private static String q850(int code) {
        return switch (code) {
            case 486 -> "Q.850;cause=17;text=\"User busy\"";
            case 603 -> "Q.850;cause=21;text=\"Call rejected\"";
            case 404 -> "Q.850;cause=1;text=\"Unallocated number\"";
            case 408 -> "Q.850;cause=19;text=\"No answer from user\"";
            case 503 -> "Q.850;cause=34;text=\"No circuit/channel available\"";
            default -> null;
        };
    }

    private String ack(boolean twoHundred) {
        StringBuilder sb = new StringBuilder(450);
        sb.append("ACK ");
        if (twoHundred) {
            ackBranch = branch();
            sb.append("sip:").append(callee).append('@').append(ctx.sbcHost(user));
        } else {
            requestUri(sb); // non-2xx: hop by hop, the INVITE's Request-URI and branch
        }
        sb.append(" SIP/2.0\r\n");
        callerVia(sb, twoHundred ? ackBranch : inviteBranch, false);
        sb.append("Max-Forwards: 70\r\n");
        fromHeader(sb);
        toHeader(sb, true);
        common(sb, cseq, "ACK");
        sb.append("User-Agent: ").append(user.userAgent()).append("\r\n");
        return withBody(sb, null);
    }

    private String cancel() {
        StringBuilder sb = new StringBuilder(450);
        sb.append("CANCEL ");
        requestUri(sb).append(" SIP/2.0\r\n");
        callerVia(sb, inviteBranch, false);
        sb.append("Max-Forwards: 70\r\n");
        fromHeader(sb);
        toHeader(sb, false);
        common(sb, cseq, "CANCEL");
        sb.append("User-Agent: ").append(user.userAgent()).append("\r\n");
        return withBody(sb, null);
    }

    private String bye() {
        StringBuilder sb = new StringBuilder(520);
        byeBranch = branch();
        if (callerHangsUp) {
            sb.append("BYE sip:").append(callee).append('@').append(ctx.sbcHost(user)).append(" SIP/2.0\r\n");
            callerVia(sb, byeBranch, false);
            sb.append("Max-Forwards: 70\r\n");
            fromHeader(sb);
            toHeader(sb, true);
            common(sb, cseq + 1, "BYE");
            sb.append("User-Agent: ").append(user.userAgent()).append("\r\n");
        } else {
            sb.append("BYE sip:").append(user.number()).append('@').append(user.host()).append(':')
                    .append(user.port()).append(" SIP/2.0\r\n");
            sbcVia(sb);
            sb.append("Max-Forwards: 70\r\n");
            sbcFrom(sb);
            sbcTo(sb);
            common(sb, sbcCseq, "BYE");
            sb.append("User-Agent: ").append(SERVER).append("\r\n");
        }
        sb.append("Reason: Q.850;cause=16;text=\"Normal call clearing\"\r\n");
        return withBody(sb, null);
    }

    private String okBye() {
        StringBuilder sb = new StringBuilder(450);
        sb.append("SIP/2.0 200 OK\r\n");
        if (callerHangsUp) {
            callerVia(sb, byeBranch, true);
            fromHeader(sb);
            toHeader(sb, true);
            common(sb, cseq + 1, "BYE");
            sb.append("Server: ").append(SERVER).append("\r\n");
        } else {
            sbcVia(sb);
            sbcFrom(sb);
            sbcTo(sb);
            common(sb, sbcCseq, "BYE");
            sb.append("User-Agent: ").append(user.userAgent()).append("\r\n");
        }
        return withBody(sb, null);
    }

    /** The SBC's own requests (a BYE it sends) have the callee's identity in From. */
    private void sbcVia(StringBuilder sb) {
        sb.append("Via: SIP/2.0/UDP ").append(ctx.sbcHost(user)).append(";branch=").append(byeBranch).append("\r\n");
    }

    private void sbcFrom(StringBuilder sb) {
        sb.append("From: <");
        requestUri(sb).append(">;tag=").append(toTag).append("\r\n");
    }

    private void sbcTo(StringBuilder sb) {
        sb.append("To: \"").append(user.number()).append("\" <sip:").append(user.number()).append('@')
                .append(domain()).append(";user=phone>;tag=").append(fromTag).append("\r\n");
    }

    // ------------------------------------------------------------------ SDP

    private String callerSdp() {
        StringBuilder sb = new StringBuilder(260);
        sdpHead(sb, callerSessionId, user.ipText());
        sb.append("m=audio ").append(callerMediaPort).append(" RTP/AVP");
        for (int i = 0; i < 3; i++) {
            sb.append(' ').append(PT[(codec + i) % 3]);
        }
        sb.append(" 101\r\n");
        for (int i = 0; i < 3; i++) {
            int k = (codec + i) % 3;
            sb.append("a=rtpmap:").append(PT[k]).append(' ').append(CODEC[k]).append("\r\n");
        }
        sb.append("a=fmtp:18 annexb=no\r\n");
        return sdpTail(sb);
    }

    private String sbcSdp() {
        StringBuilder sb = new StringBuilder(240);
        sdpHead(sb, sbcSessionId, ctx.sbcIpText(user));
        sb.append("m=audio ").append(sbcMediaPort).append(" RTP/AVP ").append(PT[codec]).append(" 101\r\n");
        sb.append("a=rtpmap:").append(PT[codec]).append(' ').append(CODEC[codec]).append("\r\n");
        if (codec == 2) {
            sb.append("a=fmtp:18 annexb=no\r\n");
        }
        return sdpTail(sb);
    }

    private static void sdpHead(StringBuilder sb, long sessionId, String ip) {
        String family = ip.indexOf(':') >= 0 ? " IN IP6 " : " IN IP4 ";
        sb.append("v=0\r\no=- ").append(sessionId).append(' ').append(sessionId).append(family).append(ip)
                .append("\r\ns=hepgen\r\nc=").append(family, 1, family.length()).append(ip).append("\r\nt=0 0\r\n");
    }

    private static String sdpTail(StringBuilder sb) {
        return sb.append("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n")
                .toString();
    }

    // ------------------------------------------------------------------ RTCP

    /**
     * A sender report from one media end about the other's stream, in heplify's JSON: packets
     * and octets sent since the answer, cumulative loss and jitter of the stream received, and
     * LSR/DLSR echoing the other end's last SR when one had arrived (so RTT = 2 × one-way delay).
     *
     * @param side 0: the SBC reports (about the caller's stream), 1: the caller reports
     */
    private TrafficPacket rtcp(int side, long t) {
        int other = 1 - side;
        long elapsed = t - answerMicros;
        long sent = elapsed / PACKET_MICROS;
        long expected = sent; // both ends send from the answer on
        long lost = Math.round(expected * loss[other]);
        long dExpected = expected - prevExpected[side];
        long dLost = lost - prevLost[side];
        int fraction = dExpected <= 0 ? 0 : (int) Math.min(255, dLost * 256 / dExpected);
        prevExpected[side] = expected;
        prevLost[side] = lost;
        long highest = (seqBase[other] + expected - 1) & 0xffff_ffffL;
        int ia = Math.max(0, jitter[other] + rng.nextInt(-jitter[other] / 8, jitter[other] / 8 + 1));

        long lsr = 0;
        long dlsr = 0;
        long srAt = lastSrMicros[other];
        if (srAt >= 0 && t - srAt > oneWayMicros) {
            lsr = ntpMiddle32(srAt);
            dlsr = (t - srAt - oneWayMicros) * 65_536 / 1_000_000;
        }
        lastSrMicros[side] = t;

        long ntpSec = t / 1_000_000L + NTP_EPOCH_OFFSET;
        long ntpFrac = (t % 1_000_000L) * (1L << 32) / 1_000_000L;
        long rtpTs = (rtpBase[side] + elapsed * 8 / 1000) & 0xffff_ffffL;
        StringBuilder sb = new StringBuilder(520);
        sb.append("{\"sender_information\":{\"ntp_timestamp_sec\":").append(ntpSec)
                .append(",\"ntp_timestamp_usec\":").append(ntpFrac)
                .append(",\"rtp_timestamp\":").append(rtpTs)
                .append(",\"packets\":").append(sent)
                .append(",\"octets\":").append(sent * BYTES_PER_PACKET[codec])
                .append("},\"ssrc\":").append(ssrc[side])
                .append(",\"type\":200,\"report_count\":1,\"report_blocks\":[{\"source_ssrc\":").append(ssrc[other])
                .append(",\"fraction_lost\":").append(fraction)
                .append(",\"packets_lost\":").append(lost)
                .append(",\"highest_seq_no\":").append(highest)
                .append(",\"ia_jitter\":").append(ia)
                .append(",\"lsr\":").append(lsr)
                .append(",\"dlsr\":").append(dlsr)
                .append("}],\"report_blocks_xr\":{\"type\":0,\"id\":0,\"fraction_lost\":0,\"fraction_discard\":0,"
                        + "\"burst_density\":0,\"gap_density\":0,\"burst_duration\":0,\"gap_duration\":0,"
                        + "\"round_trip_delay\":0,\"end_system_delay\":0},\"sdes_ssrc\":").append(ssrc[side])
                .append('}');
        // RTCP on RTP port + 1 of each end, as negotiated in the SDP
        int callerRtcp = callerMediaPort + 1;
        int sbcRtcp = sbcMediaPort + 1;
        HepPacket p = side == 0
                ? hep(ctx.sbcIp(user), sbcRtcp, user.ip(), callerRtcp, t, HepPacket.PROTO_RTCP_JSON, sb.toString(), callId)
                : hep(user.ip(), callerRtcp, ctx.sbcIp(user), sbcRtcp, t, HepPacket.PROTO_RTCP_JSON, sb.toString(), callId);
        return new TrafficPacket(p, "RTCP", seq, null, null);
    }

    private static long ntpMiddle32(long micros) {
        long sec = micros / 1_000_000L + NTP_EPOCH_OFFSET;
        long frac = (micros % 1_000_000L) * (1L << 32) / 1_000_000L;
        return ((sec & 0xffff) << 16) | (frac >>> 16);
    }
}
