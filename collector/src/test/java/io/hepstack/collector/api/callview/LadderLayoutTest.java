package io.hepstack.collector.api.callview;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ladder of table-written calls: each case is a list of messages, one per line
 * ({@code id time-µs src > dst what [call] [capture point] [content]}), and the rows expected.
 */
class LadderLayoutTest {

    private static final long T0 = 1_767_225_600_000_000L;

    /**
     * One message: "m1 +0 10.0.0.1:5060>10.0.0.2:5060 INVITE+sdp a@x cp1 inv1". What: a method, a
     * code with reason ({@code 183_Session_Progress}), {@code rtcp:4.1} (MOS) or {@code log:text}.
     * The last field is the content (equal content = the same message); {@code -} = unique.
     */
    private static LadderMessage msg(String line) {
        String[] f = line.trim().split("\\s+");
        String id = f[0];
        long micros = T0 + Long.parseLong(f[1].substring(1));
        String[] ends = f[2].split(">");
        String[] src = ends[0].split(":");
        String[] dst = ends[1].split(":");
        String what = f[3];
        String callId = f.length > 4 ? f[4] : "a@x";
        String point = f.length > 5 ? f[5] : "cp1";
        String content = f.length > 6 ? f[6] : "-";
        boolean sdp = what.endsWith("+sdp");
        what = what.replace("+sdp", "");
        String node = point.equals("cp1") ? "proxy-a" : "sbc-b";
        if (what.startsWith("rtcp:")) {
            return new LadderMessage(id, "hep-rtcp-x", micros, Integer.MAX_VALUE, "rtcp", src[0], Integer.parseInt(src[1]),
                    dst[0], Integer.parseInt(dst[1]), node, callId, point, null, null, 0, null, false,
                    "RTCP sr MOS " + what.substring(5), Double.parseDouble(what.substring(5)), 3.5, 1.25);
        }
        if (what.startsWith("log:")) {
            return new LadderMessage(id, "hep-log-x", micros, Integer.MAX_VALUE, "log", src[0], Integer.parseInt(src[1]),
                    dst[0], Integer.parseInt(dst[1]), node, callId, point, null, null, 0, null, false,
                    what.substring(4), Double.NaN, Double.NaN, Double.NaN);
        }
        int code = Character.isDigit(what.charAt(0)) ? Integer.parseInt(what.split("_")[0]) : 0;
        String reason = code > 0 ? what.substring(what.indexOf('_') + 1).replace('_', ' ') : null;
        return new LadderMessage(id, "hep-sip-x", micros, Integer.MAX_VALUE, "sip", src[0], Integer.parseInt(src[1]),
                dst[0], Integer.parseInt(dst[1]), node, callId, point, content.equals("-") ? id : content,
                code > 0 ? "INVITE" : what, code, reason, sdp, null, Double.NaN, Double.NaN, Double.NaN);
    }

    private static LadderLayout.Ladder layout(LadderLayout.Grouping g, List<String> legs, String... lines) {
        List<LadderMessage> in = new ArrayList<>();
        for (String l : lines) {
            in.add(msg(l));
        }
        return new LadderLayout(g, legs).layout(in);
    }

    /** A row as "id from>to label delta [leg n] [retrans] [copy of x]". */
    private static List<String> rows(LadderLayout.Ladder l) {
        List<String> out = new ArrayList<>();
        for (LadderLayout.Row r : l.rows()) {
            out.add(r.id() + " " + r.from() + ">" + r.to() + " " + r.label() + " +" + r.deltaUs()
                    + (r.leg() > 0 ? " leg" + r.leg() : "") + (r.selfLoop() ? " self" : "")
                    + (r.retransmission() ? " retrans" : "") + (r.copyOf() != null ? " copy-of-" + r.copyOf() : ""));
        }
        return out;
    }

    private static List<String> columns(LadderLayout.Ladder l) {
        return l.columns().stream().map(c -> c.id() + "=" + c.label()).toList();
    }

    @Test
    void aBasicCallInCaptureOrderWithLabelsAndDeltas() {
        LadderLayout.Ladder l = layout(LadderLayout.Grouping.IP, List.of("a@x"),
                "m1 +0       10.0.0.1:5060>10.0.0.2:5060 INVITE+sdp",
                "m2 +1500    10.0.0.2:5060>10.0.0.1:5060 100_Trying",
                "m3 +200000  10.0.0.2:5060>10.0.0.1:5060 183_Session_Progress",
                "m4 +2000000 10.0.0.2:5060>10.0.0.1:5060 200_OK+sdp",
                "m5 +2000010 10.0.0.1:5060>10.0.0.2:5060 ACK");
        assertThat(columns(l)).containsExactly("c0=10.0.0.1:5060", "c1=10.0.0.2:5060");
        assertThat(rows(l)).containsExactly(
                "m1 c0>c1 INVITE (SDP) +0",
                "m2 c1>c0 100 Trying +1500",
                "m3 c1>c0 183 Session Progress +198500",
                "m4 c1>c0 200 OK (SDP) +1800000",
                "m5 c0>c1 ACK +10");
        assertThat(l.rows()).extracting(LadderLayout.Row::statusClass).containsExactly("request", "1xx", "1xx", "2xx", "request");
    }

    @Test
    void orderIsByMicrosecondsNotMillisecondsAndTiesKeepTheCorrelatorsOrder() {
        // all three in the same millisecond, given out of order
        LadderLayout.Ladder l = layout(LadderLayout.Grouping.IP, List.of("a@x"),
                "m3 +1000900 10.0.0.2:5060>10.0.0.1:5060 200_OK",
                "m1 +1000100 10.0.0.1:5060>10.0.0.2:5060 INVITE",
                "m2 +1000500 10.0.0.2:5060>10.0.0.1:5060 100_Trying");
        assertThat(rows(l)).containsExactly("m1 c0>c1 INVITE +0", "m2 c1>c0 100 Trying +400", "m3 c1>c0 200 OK +400");

        List<LadderMessage> same = new ArrayList<>();
        LadderMessage b = msg("zz +5 10.0.0.2:5060>10.0.0.1:5060 180_Ringing");
        LadderMessage a = msg("aa +5 10.0.0.2:5060>10.0.0.1:5060 200_OK");
        // equal µs: the correlator saw the 180 (rank 0) before the 200 (rank 1), whatever the ids say
        same.add(withRank(a, 1));
        same.add(withRank(b, 0));
        assertThat(new LadderLayout(LadderLayout.Grouping.IP, List.of()).layout(same).rows())
                .extracting(LadderLayout.Row::id).containsExactly("zz", "aa");
    }

    private static LadderMessage withRank(LadderMessage m, int rank) {
        return new LadderMessage(m.id(), m.index(), m.micros(), rank, m.kind(), m.srcIp(), m.srcPort(), m.dstIp(), m.dstPort(),
                m.node(), m.callId(), m.capturePoint(), m.fingerprint(), m.method(), m.code(), m.reason(), m.sdp(),
                m.summary(), m.mos(), m.jitterMs(), m.lossPct());
    }

    @Test
    void b2buaLegsInOneLadderNumberedInTheGivenOrder() {
        LadderLayout.Ladder l = layout(LadderLayout.Grouping.IP, List.of("a@x", "b@y"),
                "m1 +0   10.0.0.1:5060>10.0.0.2:5060 INVITE a@x",
                "m2 +100 10.0.0.2:5080>10.0.0.3:5060 INVITE b@y",
                "m3 +300 10.0.0.3:5060>10.0.0.2:5080 200_OK b@y",
                "m4 +400 10.0.0.2:5060>10.0.0.1:5060 200_OK a@x",
                "m5 +500 10.0.0.9:5060>10.0.0.1:5060 OPTIONS other@z");
        assertThat(columns(l)).containsExactly("c0=10.0.0.1:5060", "c1=10.0.0.2:5060", "c2=10.0.0.2:5080",
                "c3=10.0.0.3:5060", "c4=10.0.0.9:5060");
        assertThat(rows(l)).containsExactly("m1 c0>c1 INVITE +0", "m2 c2>c3 INVITE +100 leg1", "m3 c3>c2 200 OK +200 leg1",
                "m4 c1>c0 200 OK +100", "m5 c4>c0 OPTIONS +100");
    }

    @Test
    void retransmissionsAreMarkedAndCopiesFromAnotherCapturePointAreNotDrawnTwice() {
        LadderLayout.Ladder l = layout(LadderLayout.Grouping.IP, List.of("a@x"),
                "m1 +0      10.0.0.1:5060>10.0.0.2:5060 INVITE a@x cp1 inv",
                "c1 +20     10.0.0.1:5060>10.0.0.2:5060 INVITE a@x cp2 inv",
                "m2 +500000 10.0.0.1:5060>10.0.0.2:5060 INVITE a@x cp1 inv",
                "c2 +500030 10.0.0.1:5060>10.0.0.2:5060 INVITE a@x cp2 inv",
                "m3 +600000 10.0.0.2:5060>10.0.0.1:5060 100_Trying a@x cp2 try",
                "m4 +700000 10.0.0.2:5060>10.0.0.1:5060 100_Trying a@x cp2 try",
                "x1 +800000 10.0.0.1:5060>10.0.0.3:5060 INVITE a@x cp1 inv");
        assertThat(rows(l)).containsExactly(
                "m1 c0>c1 INVITE +0",
                "c1 c0>c1 INVITE +0 copy-of-m1",
                "m2 c0>c1 INVITE +500000 retrans",
                "c2 c0>c1 INVITE +0 retrans copy-of-m2",
                "m3 c1>c0 100 Trying +100000",
                "m4 c1>c0 100 Trying +100000 retrans",
                // the same text to another address is another message (a proxy forks/forwards)
                "x1 c0>c2 INVITE +100000");
        assertThat(l.rows()).filteredOn(LadderLayout.Row::drawn).hasSize(5);
    }

    @Test
    void reportsAndLogLinesAreRowsOfTheirOwnAndSameHostMessagesLoop() {
        LadderLayout.Ladder l = layout(LadderLayout.Grouping.IP, List.of("a@x"),
                "m1 +0   10.0.0.1:5060>10.0.0.1:5060 MESSAGE",
                "r1 +100 10.0.0.2:4001>10.0.0.1:4001 rtcp:4.1",
                "g1 +200 10.0.0.1:5060>10.0.0.5:9060 log:call_answered",
                "g2 +300 127.0.0.1:514>10.0.0.5:9060 log:from_a_log_server");
        assertThat(rows(l)).containsExactly("m1 c0>c0 MESSAGE +0 self", "r1 c1>c2 RTCP sr MOS 4.1 +100", "g1 c0>c0 call_answered +100",
                "g2 c0>c0 from_a_log_server +100");
        assertThat(l.columns()).hasSize(3);
        LadderLayout.Row r = l.rows().get(1);
        assertThat(r.kind()).isEqualTo("rtcp");
        assertThat(r.mos()).isEqualTo(4.1);
        assertThat(r.jitterMs()).isEqualTo(3.5);
        assertThat(r.lossPct()).isEqualTo(1.25);
        assertThat(r.statusClass()).isNull();
        assertThat(l.rows().get(2).selfLoop()).as("a log line is not an arrow").isFalse();
    }

    @Test
    void groupingByNodeMergesPortsAndNamesTheHost() {
        LadderLayout.Ladder l = layout(LadderLayout.Grouping.NODE, List.of("a@x"),
                "m1 +0   10.0.0.1:5060>10.0.0.2:5060 INVITE a@x cp1",
                "m2 +100 10.0.0.2:5080>10.0.0.3:5060 INVITE a@x cp2",
                "m3 +200 10.0.0.2:5060>10.0.0.1:5060 100_Trying a@x cp2");
        assertThat(columns(l)).containsExactly("c0=proxy-a (10.0.0.1)", "c1=sbc-b (10.0.0.2)", "c2=10.0.0.3");
        assertThat(rows(l)).containsExactly("m1 c0>c1 INVITE +0", "m2 c1>c2 INVITE +100", "m3 c1>c0 100 Trying +100");
        assertThat(LadderLayout.Grouping.of(null)).isEqualTo(LadderLayout.Grouping.IP);
        assertThatThrownBy(() -> LadderLayout.Grouping.of("port")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipv6ColumnsAreBracketed() {
        LadderMessage m = withRank(msg("m1 +0 10.0.0.1:5060>10.0.0.2:5060 INVITE"), 0);
        LadderMessage v6 = new LadderMessage(m.id(), m.index(), m.micros(), 0, "sip", "2001:db8::1", 5060, "2001:db8::2", 5062,
                null, "a@x", "cp1", "x", "INVITE", 0, null, false, null, Double.NaN, Double.NaN, Double.NaN);
        LadderLayout.Ladder l = new LadderLayout(LadderLayout.Grouping.IP, List.of("a@x")).layout(List.of(v6));
        assertThat(columns(l)).containsExactly("c0=[2001:db8::1]:5060", "c1=[2001:db8::2]:5062");
    }
}
