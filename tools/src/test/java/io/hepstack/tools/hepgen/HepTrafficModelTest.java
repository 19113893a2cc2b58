package io.hepstack.tools.hepgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.protocol.rtcp.RtcpJsonParser;
import io.hepstack.collector.protocol.rtcp.RtcpReport;
import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.Sdp;
import io.hepstack.collector.protocol.sip.SdpMedia;
import io.hepstack.collector.protocol.sip.SipMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HepTrafficModelTest {

    private static final long T0 = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z
    private static final String SBC = "192.0.2.10";

    private static TrafficConfig.Builder config() {
        return TrafficConfig.builder().startMicros(T0).seed(42).callsPerSecond(20).registrationsPerSecond(4);
    }

    // ------------------------------------------------------------------ determinism, order, mix

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() {
        TrafficConfig c = config().calls(150).registrations(30).authKey("k").build();
        List<Generated.Item> a = new Generated(c).items;
        List<Generated.Item> b = new Generated(c).items;
        assertThat(a).hasSameSizeAs(b).hasSizeGreaterThan(1000);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).wire()).as("packet %d", i).isEqualTo(a.get(i).wire());
        }
        List<Generated.Item> other = new Generated(config().seed(43).calls(150).registrations(30).authKey("k").build()).items;
        int same = 0;
        for (int i = 0; i < Math.min(a.size(), other.size()); i++) {
            same += Arrays.equals(a.get(i).wire(), other.get(i).wire()) ? 1 : 0;
        }
        assertThat(same).as("packets identical across seeds").isZero();
    }

    @Test
    void packetsComeOutInTimeOrder() {
        List<Generated.Item> items = new Generated(config().calls(400).registrations(100).rtcpIntervalSeconds(5).build()).items;
        for (int i = 1; i < items.size(); i++) {
            assertThat(items.get(i).time()).as("packet %d", i).isGreaterThanOrEqualTo(items.get(i - 1).time());
        }
        assertThat(items.get(0).time()).isEqualTo(T0);
    }

    @Test
    void outcomeMixIsExactAndVisibleInTheMessages() {
        Map<CallOutcome, Integer> mix = new EnumMap<>(CallOutcome.class);
        mix.put(CallOutcome.ANSWERED, 50);
        mix.put(CallOutcome.BUSY, 10);
        mix.put(CallOutcome.CANCELLED, 10);
        mix.put(CallOutcome.DECLINED, 10);
        mix.put(CallOutcome.UNAVAILABLE, 7);
        mix.put(CallOutcome.NOT_FOUND, 7);
        mix.put(CallOutcome.NO_ANSWER, 6);
        Generated g = new Generated(config().calls(200).registrations(60).callMix(mix).build());

        Map<CallOutcome, Integer> fromMessages = new EnumMap<>(CallOutcome.class);
        Map<CallOutcome, Integer> declared = new EnumMap<>(CallOutcome.class);
        Map<RegistrationOutcome, Integer> registrations = new EnumMap<>(RegistrationOutcome.class);
        for (List<Generated.Item> dialog : g.dialogs().values()) {
            SipMessage first = dialog.get(0).sip();
            if (first.method().equals("REGISTER")) {
                int code = dialog.get(dialog.size() - 1).sip().statusCode();
                RegistrationOutcome o = code == 200 ? RegistrationOutcome.REGISTERED
                        : code == 403 ? RegistrationOutcome.AUTH_FAILED : code == 404 ? RegistrationOutcome.UNKNOWN_USER : null;
                registrations.merge(o, 1, Integer::sum);
                assertThat(dialog.get(0).packet().registrationStart()).isEqualTo(o);
                continue;
            }
            declared.merge(dialog.get(0).packet().callStart(), 1, Integer::sum);
            fromMessages.merge(outcomeOf(dialog), 1, Integer::sum);
        }
        // round(200 × w / 100): every weight here gives a whole number
        assertThat(fromMessages).containsExactlyInAnyOrderEntriesOf(Map.of(CallOutcome.ANSWERED, 100, CallOutcome.BUSY, 20,
                CallOutcome.CANCELLED, 20, CallOutcome.DECLINED, 20, CallOutcome.UNAVAILABLE, 14, CallOutcome.NOT_FOUND, 14,
                CallOutcome.NO_ANSWER, 12));
        assertThat(declared).isEqualTo(fromMessages);
        // default registration mix 85/10/5 of 60
        assertThat(registrations).containsExactlyInAnyOrderEntriesOf(Map.of(RegistrationOutcome.REGISTERED, 51,
                RegistrationOutcome.AUTH_FAILED, 6, RegistrationOutcome.UNKNOWN_USER, 3));
    }

    @Test
    void aSmallCountGetsTheLargestRemainders() {
        // default mix 70/8/7/3/4/3/5 of 7 calls: quotas 4.9, .56, .49, .21, .28, .21, .35 → 4 + the three largest remainders
        Map<CallOutcome, Integer> got = new EnumMap<>(CallOutcome.class);
        for (Generated.Item i : new Generated(config().calls(7).registrations(0).build()).items) {
            if (i.packet().callStart() != null) {
                got.merge(i.packet().callStart(), 1, Integer::sum);
            }
        }
        assertThat(got).containsExactlyInAnyOrderEntriesOf(
                Map.of(CallOutcome.ANSWERED, 5, CallOutcome.BUSY, 1, CallOutcome.CANCELLED, 1));
    }

    @Test
    void unlimitedTrafficKeepsTheExactMixPerThousandCalls() {
        HepTrafficModel model = new HepTrafficModel(config().calls(TrafficConfig.UNLIMITED).registrations(0)
                .callDuration(DurationDistribution.parse("fixed:5")).build());
        Map<CallOutcome, Integer> got = new EnumMap<>(CallOutcome.class);
        Map<Long, CallOutcome> byScenario = new HashMap<>();
        while (byScenario.size() < 1000) {
            TrafficPacket p = model.next();
            if (p.callStart() != null) {
                byScenario.put(p.scenario(), p.callStart());
            }
        }
        // calls start in scenario order: the first 1000 scenarios are the first deck
        for (long s = 0; s < 1000; s++) {
            got.merge(byScenario.get(s), 1, Integer::sum);
        }
        assertThat(got).containsExactlyInAnyOrderEntriesOf(Map.of(CallOutcome.ANSWERED, 700, CallOutcome.BUSY, 80,
                CallOutcome.CANCELLED, 70, CallOutcome.DECLINED, 30, CallOutcome.UNAVAILABLE, 40, CallOutcome.NOT_FOUND, 30,
                CallOutcome.NO_ANSWER, 50));
        assertThat(model.hasNext()).isTrue();
    }

    @Test
    void memoryFollowsTheCallsInProgressNotThePackets() {
        // 100 calls/s lasting 10 s plus up to ~7 s of setup: about 1,700 in progress at any time
        HepTrafficModel model = new HepTrafficModel(config().calls(TrafficConfig.UNLIMITED).registrations(TrafficConfig.UNLIMITED)
                .callsPerSecond(100).registrationsPerSecond(20).callDuration(DurationDistribution.parse("fixed:10"))
                .callWeight(CallOutcome.NO_ANSWER, 0).build());
        int most = 0;
        for (int i = 0; i < 200_000; i++) {
            model.next();
            most = Math.max(most, model.inProgress());
        }
        assertThat(most).isBetween(800, 2_500);
    }

    private static CallOutcome outcomeOf(List<Generated.Item> dialog) {
        boolean cancel = false;
        boolean bye = false;
        int fin = 0;
        for (Generated.Item i : dialog) {
            SipMessage m = i.sip();
            cancel |= m.isRequest() && m.method().equals("CANCEL");
            bye |= m.isRequest() && m.method().equals("BYE");
            if (m.isResponse() && m.cseqMethod().equals("INVITE") && m.statusCode() >= 200) {
                fin = m.statusCode();
            }
        }
        if (bye && fin == 200) {
            return CallOutcome.ANSWERED;
        }
        if (cancel && fin == 487) {
            return CallOutcome.CANCELLED;
        }
        return switch (fin) {
            case 486 -> CallOutcome.BUSY;
            case 603 -> CallOutcome.DECLINED;
            case 503 -> CallOutcome.UNAVAILABLE;
            case 404 -> CallOutcome.NOT_FOUND;
            case 408 -> CallOutcome.NO_ANSWER;
            default -> throw new AssertionError("no outcome for " + dialog.get(0).sip().callId() + ": final " + fin);
        };
    }

    // ------------------------------------------------------------------ every packet parses

    @Test
    void everyPacketDecodesAndParsesWithoutProblems() throws Exception {
        Generated g = new Generated(config().calls(300).registrations(60).authKey("myHep").nodeName("hepgen-07")
                .captureId(4242).rtcpIntervalSeconds(10).build());
        HepDecoder decoder = HepDecoder.builder().requiredAuthKey("myHep").build();
        RtcpJsonParser json = new RtcpJsonParser();
        Map<Integer, Integer> types = new HashMap<>();
        long bytes = 0;
        for (Generated.Item i : g.items) {
            HepPacket sent = i.packet().hep();
            HepPacket got = decoder.decode(i.wire(), 0, i.wire().length);
            assertThat(got.version).isEqualTo(3);
            assertThat(got.captureId).isEqualTo(4242);
            assertThat(got.nodeName).isEqualTo("hepgen-07");
            assertThat(got.authKey).isEqualTo("myHep");
            assertThat(got.ipProtocol).isEqualTo(17);
            assertThat(got.protoType).isEqualTo(sent.protoType);
            assertThat(got.timestampMicros()).isEqualTo(i.time());
            assertThat(got.srcIpText() + ":" + got.srcPort + ">" + got.dstIpText() + ":" + got.dstPort)
                    .isEqualTo(sent.srcIpText() + ":" + sent.srcPort + ">" + sent.dstIpText() + ":" + sent.dstPort);
            assertThat(got.payload).isEqualTo(sent.payload);
            types.merge(got.protoType, 1, Integer::sum);
            bytes += i.wire().length;
            switch (got.protoType) {
                case HepPacket.PROTO_SIP -> {
                    assertThat(i.sip().problems()).as(i.text()).isEmpty();
                    assertThat(got.correlationId).isNull();
                    assertThat(i.sip().isRequest() ? i.sip().method() : Integer.toString(i.sip().statusCode()))
                            .isEqualTo(i.packet().label());
                }
                case HepPacket.PROTO_RTCP_JSON -> {
                    RtcpReport r = json.parseRtcp(got.payload);
                    assertThat(r.reportBlocks()).hasSize(1);
                    assertThat(r.hasSenderInfo()).isTrue();
                    assertThat(got.correlationId).isNotBlank();
                    assertThat(i.packet().label()).isEqualTo("RTCP");
                }
                case HepPacket.PROTO_LOG -> {
                    assertThat(i.text()).contains(got.correlationId).contains(" kamailio[2154]: NOTICE: <script>: ");
                    assertThat(i.packet().label()).isEqualTo("LOG");
                }
                default -> throw new AssertionError("unexpected HEP type " + got.protoType);
            }
        }
        assertThat(types).containsOnlyKeys(1, 5, 100);
        assertThat(types.get(100)).isEqualTo(360); // one LOG per call and registration
        // realistic sizes: INVITEs with SDP near 1 KB, the average packet between 400 and 900 bytes
        assertThat(bytes / g.items.size()).isBetween(400L, 900L);
        for (Generated.Item i : g.items) {
            if ("INVITE".equals(i.packet().label())) {
                assertThat(i.wire().length).isBetween(900, 1200);
            }
        }
    }

    // ------------------------------------------------------------------ dialogs

    @Test
    void callersOnIpv6TalkToTheSbcOverIpv6() throws Exception {
        String v6 = "2001:db8:1::5";
        Generated g = new Generated(config().callerIps(List.of("81.2.69.142", v6)).users(4).calls(80).registrations(20)
                .build());
        HepDecoder decoder = new HepDecoder();
        int v6Packets = 0;
        int v4Packets = 0;
        for (Generated.Item i : g.items) {
            HepPacket got = decoder.decode(i.wire(), 0, i.wire().length);
            boolean ipv6 = got.srcIpText().contains(":") || got.dstIpText().contains(":");
            if (got.protoType == HepPacket.PROTO_LOG) {
                assertThat(got.ipFamily).as("the SBC's own log lines").isEqualTo(HepPacket.AF_INET);
                continue;
            }
            if (!ipv6) {
                v4Packets++;
                assertThat(got.ipFamily).isEqualTo(HepPacket.AF_INET);
                assertThat(List.of(got.srcIpText(), got.dstIpText())).contains("81.2.69.142", SBC);
                continue;
            }
            v6Packets++;
            assertThat(got.ipFamily).as(i.text()).isEqualTo(HepPacket.AF_INET6);
            assertThat(got.srcIp).hasSize(16);
            assertThat(got.dstIp).hasSize(16);
            assertThat(List.of(got.srcIpText(), got.dstIpText())).containsExactlyInAnyOrder(v6, "2001:db8::10");
            if (got.protoType != HepPacket.PROTO_SIP) {
                continue;
            }
            SipMessage sip = i.sip();
            assertThat(sip.problems()).as(i.text()).isEmpty();
            assertThat(sip.vias().get(sip.vias().size() - 1).host()).isIn(v6, "2001:db8::10");
            assertThat(sip.vias().get(sip.vias().size() - 1).isIpv6()).isTrue();
            assertThat(i.text()).containsPattern("Via: SIP/2.0/UDP \\[(2001:db8:1::5|2001:db8::10)\\]:5060;branch=");
            if (sip.isRequest() && "INVITE".equals(sip.method())) {
                assertThat(sip.contact().uri().host()).isEqualTo(v6);
                assertThat(sip.contact().uri().isIpv6()).isTrue();
                assertThat(sip.sdp().connectionAddress()).isEqualTo(v6);
                assertThat(i.text()).contains("c=IN IP6 " + v6 + "\r\n").contains("o=- ");
            }
            if (!sip.isRequest() && sip.statusCode() == 200 && sip.sdp() != null) {
                assertThat(sip.sdp().connectionAddress()).isEqualTo("2001:db8::10");
            }
        }
        assertThat(v6Packets).as("half the users are on IPv6").isGreaterThan(200);
        assertThat(v4Packets).isGreaterThan(200);
    }

    @Test
    void callDialogsAreConsistent() {
        Generated g = new Generated(config().calls(300).registrations(0).rtcpIntervalSeconds(0).build());
        Map<String, List<Generated.Item>> rtcp = g.correlated(HepPacket.PROTO_RTCP_JSON);
        Set<String> branches = new HashSet<>();
        int calls = 0;
        int sbcByes = 0;
        for (Map.Entry<String, List<Generated.Item>> e : g.dialogs().entrySet()) {
            calls++;
            checkDialog(e.getKey(), e.getValue(), rtcp.getOrDefault(e.getKey(), List.of()), branches);
            sbcByes += e.getValue().stream().anyMatch(i -> i.sip().isRequest() && i.sip().method().equals("BYE")
                    && i.packet().hep().srcIpText().equals(SBC)) ? 1 : 0;
        }
        assertThat(calls).as("one Call-ID per call").isEqualTo(300);
        assertThat(sbcByes).as("the callee side hangs up some calls").isBetween(50, 150);
    }

    private static void checkDialog(String callId, List<Generated.Item> dialog, List<Generated.Item> rtcp,
                                    Set<String> allBranches) {
        SipMessage invite = dialog.get(0).sip();
        assertThat(invite.method()).isEqualTo("INVITE");
        assertThat(dialog.stream().filter(i -> i.sip().isRequest() && i.sip().method().equals("INVITE"))).hasSize(1);
        String callerTag = invite.from().tag();
        String callerNumber = invite.from().uri().user();
        String callerIp = dialog.get(0).packet().hep().srcIpText();
        assertThat(callId).endsWith("@" + callerIp);
        assertThat(invite.to().tag()).isNull();
        assertThat(invite.contact().uri().host()).isEqualTo(callerIp);
        long n = invite.cseqNumber();
        String inviteBranch = invite.via().branch();
        assertThat(inviteBranch).startsWith("z9hG4bK");

        String calleeTag = null;
        String sbcContact = null;
        String byeBranch = null;
        long byeCseq = -1;
        Map<String, Boolean> transactions = new HashMap<>();
        Sdp offer = invite.sdp();
        Sdp answer = null;
        long answerTime = -1;
        long byeTime = -1;
        for (Generated.Item i : dialog) {
            SipMessage m = i.sip();
            HepPacket h = i.packet().hep();
            boolean fromCaller = h.srcIpText().equals(callerIp);
            assertThat(fromCaller ? h.dstIpText() : h.srcIpText()).isEqualTo(SBC);
            NameAddress us = m.from().uri().user().equals(callerNumber) ? m.from() : m.to();
            NameAddress them = us == m.from() ? m.to() : m.from();
            assertThat(us.tag()).as("caller tag in %s", m).isEqualTo(callerTag);
            if (them.tag() != null) {
                if (calleeTag == null) {
                    calleeTag = them.tag();
                }
                assertThat(them.tag()).as("callee tag in %s", m).isEqualTo(calleeTag);
            }
            String branch = m.via().branch();
            if (m.isRequest()) {
                transactions.put(m.cseqMethod() + " " + m.cseqNumber(), true);
                assertThat(m.maxForwards()).isEqualTo(70);
                switch (m.method()) {
                    case "INVITE" -> { }
                    case "CANCEL" -> {
                        assertThat(m.cseqNumber()).isEqualTo(n);
                        assertThat(branch).isEqualTo(inviteBranch);
                        assertThat(m.to().tag()).isNull();
                        assertThat(m.requestUriRaw()).isEqualTo(invite.requestUriRaw());
                    }
                    case "ACK" -> {
                        assertThat(m.cseqNumber()).isEqualTo(n);
                        assertThat(m.to().tag()).isEqualTo(calleeTag);
                        if (sbcContact != null) { // ACK of a 2xx: a new transaction to the Contact
                            assertThat(branch).isNotEqualTo(inviteBranch);
                            assertThat(m.requestUriRaw()).isEqualTo(sbcContact);
                        } else { // ACK of a non-2xx: same branch and Request-URI as the INVITE
                            assertThat(branch).isEqualTo(inviteBranch);
                            assertThat(m.requestUriRaw()).isEqualTo(invite.requestUriRaw());
                        }
                    }
                    case "BYE" -> {
                        byeBranch = branch;
                        byeCseq = m.cseqNumber();
                        byeTime = i.time();
                        assertThat(m.reason().cause()).isEqualTo(16);
                        if (fromCaller) {
                            assertThat(m.cseqNumber()).isEqualTo(n + 1);
                            assertThat(m.requestUriRaw()).isEqualTo(sbcContact);
                        } else {
                            assertThat(m.requestUriRaw()).isEqualTo(invite.contact().uri().raw());
                            assertThat(m.via().host()).isEqualTo(SBC);
                        }
                    }
                    default -> throw new AssertionError("unexpected request " + m);
                }
                if (!m.method().equals("ACK") && !m.method().equals("CANCEL")) {
                    assertThat(allBranches.add(branch)).as("branch %s reused", branch).isTrue();
                }
            } else {
                assertThat(fromCaller).isEqualTo(m.cseqMethod().equals("BYE") && byeBranch != null
                        && dialog.stream().anyMatch(x -> x.sip().isRequest() && x.sip().method().equals("BYE")
                        && !x.packet().hep().srcIpText().equals(callerIp)));
                assertThat(transactions).as("response to an unsent request: %s", m)
                        .containsKey(m.cseqMethod() + " " + m.cseqNumber());
                if (m.cseqMethod().equals("BYE")) {
                    assertThat(branch).isEqualTo(byeBranch);
                    assertThat(m.cseqNumber()).isEqualTo(byeCseq);
                } else {
                    assertThat(branch).isEqualTo(inviteBranch);
                    assertThat(m.cseqNumber()).isEqualTo(n);
                    assertThat(m.via().rport()).isEqualTo(5060);
                }
                if (m.statusCode() == 100) {
                    assertThat(m.to().tag()).isNull();
                } else {
                    assertThat(them.tag()).isNotNull();
                }
                if (m.cseqMethod().equals("INVITE") && (m.statusCode() == 180 || m.statusCode() == 200)) {
                    assertThat(m.contact()).isNotNull();
                    sbcContact = m.statusCode() == 200 ? m.contact().uri().raw() : null;
                    if (m.statusCode() == 200) {
                        answer = m.sdp();
                        answerTime = i.time();
                    }
                }
            }
        }
        assertThat(offer).isNotNull();
        SdpMedia offered = offer.media().get(0);
        assertThat(offer.connectionAddress()).isEqualTo(callerIp);
        assertThat(offered.port() % 2).isZero();
        if (answer == null) {
            assertThat(rtcp).isEmpty();
            return;
        }
        SdpMedia answered = answer.media().get(0);
        assertThat(answer.connectionAddress()).isEqualTo(SBC);
        assertThat(offered.payloadTypes()).contains(answered.payloadTypes().get(0));
        assertThat(answered.codecs().get(0).encodingName()).isIn("PCMU", "PCMA", "G729");

        // RTCP between the media addresses and ports of the SDP (+1), during the call, SSRCs crossed
        assertThat(rtcp).hasSize(2);
        RtcpJsonParser json = new RtcpJsonParser();
        Map<String, RtcpReport> bySide = new HashMap<>();
        for (Generated.Item r : rtcp) {
            HepPacket h = r.packet().hep();
            assertThat(r.time()).isGreaterThan(answerTime).isLessThan(byeTime);
            String flow = h.srcIpText() + ":" + h.srcPort + ">" + h.dstIpText() + ":" + h.dstPort;
            String sbcToCaller = SBC + ":" + (answered.port() + 1) + ">" + callerIp + ":" + (offered.port() + 1);
            String callerToSbc = callerIp + ":" + (offered.port() + 1) + ">" + SBC + ":" + (answered.port() + 1);
            assertThat(flow).isIn(sbcToCaller, callerToSbc);
            try {
                bySide.put(h.srcIpText(), json.parseRtcp(h.payload));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        RtcpReport sbc = bySide.get(SBC);
        RtcpReport caller = bySide.get(callerIp);
        assertThat(sbc.reportBlocks().get(0).sourceSsrc()).isEqualTo(caller.senderSsrc());
        assertThat(caller.reportBlocks().get(0).sourceSsrc()).isEqualTo(sbc.senderSsrc());
    }

    @Test
    void rtcpReportsCountLossAndEchoTheOtherEndsSenderReport() throws Exception {
        Generated g = new Generated(config().calls(60).registrations(0).callWeight(CallOutcome.ANSWERED, 100)
                .callMix(Map.of(CallOutcome.ANSWERED, 1)).callDuration(DurationDistribution.parse("fixed:30"))
                .rtcpIntervalSeconds(5).build());
        RtcpJsonParser json = new RtcpJsonParser();
        for (Map.Entry<String, List<Generated.Item>> e : g.correlated(HepPacket.PROTO_RTCP_JSON).entrySet()) {
            List<Generated.Item> reports = e.getValue();
            // reports at 5, 10, 15, 20, 25 s after the answer from the SBC, each followed by the caller's
            assertThat(reports).hasSize(10);
            Map<Long, Long> srTimes = new HashMap<>(); // NTP middle 32 → capture time
            Map<Long, long[]> previous = new HashMap<>();
            for (Generated.Item r : reports) {
                RtcpReport rep = json.parseRtcp(r.packet().hep().payload);
                RtcpReport.SenderInfo si = rep.senderInfo();
                RtcpReport.ReportBlock b = rep.reportBlocks().get(0);
                // 20 ms packetisation: packets sent since the answer
                long[] prev = previous.getOrDefault(rep.senderSsrc(), new long[] {0, 0});
                assertThat(si.packetCount()).isGreaterThan(prev[0]);
                assertThat(b.cumulativeLost()).isGreaterThanOrEqualTo((int) prev[1]).isLessThan((int) si.packetCount() / 10);
                previous.put(rep.senderSsrc(), new long[] {si.packetCount(), b.cumulativeLost()});
                // NTP time is the capture time
                long ntpMicros = (si.ntpSeconds() - 2_208_988_800L) * 1_000_000L + si.ntpFraction() * 1_000_000L / (1L << 32);
                assertThat(ntpMicros).isCloseTo(r.time(), within(1L));
                if (b.lsr() != 0) {
                    Long srAt = srTimes.get(b.lsr());
                    assertThat(srAt).as("LSR echoes an SR of the other end").isNotNull();
                    double owdMs = (r.time() - srAt) / 1000.0 - b.dlsr() * 1000.0 / 65536;
                    assertThat(owdMs).as("one-way delay from LSR/DLSR").isBetween(4.9, 60.1);
                }
                srTimes.put(si.ntpMiddle32(), r.time());
            }
        }
    }

    @Test
    void registrationsAreChallengedThenAnswered() {
        Generated g = new Generated(config().calls(0).registrations(100).build());
        int registered = 0;
        for (List<Generated.Item> d : g.dialogs().values()) {
            SipMessage first = d.get(0).sip();
            assertThat(first.method()).isEqualTo("REGISTER");
            assertThat(first.expires()).isEqualTo(3600);
            SipMessage last = d.get(d.size() - 1).sip();
            if (last.statusCode() == 404) {
                assertThat(d).hasSize(2);
                continue;
            }
            assertThat(d).hasSize(4);
            SipMessage challenge = d.get(1).sip();
            SipMessage again = d.get(2).sip();
            assertThat(challenge.statusCode()).isEqualTo(401);
            assertThat(challenge.header("WWW-Authenticate")).startsWith("Digest realm=\"sbc.example.net\"");
            assertThat(challenge.via().branch()).isEqualTo(first.via().branch());
            assertThat(again.header("Authorization")).contains("username=\"" + first.from().uri().user() + "\"");
            assertThat(again.cseqNumber()).isEqualTo(first.cseqNumber() + 1);
            assertThat(again.via().branch()).isNotEqualTo(first.via().branch());
            assertThat(again.from().tag()).isEqualTo(first.from().tag());
            assertThat(last.via().branch()).isEqualTo(again.via().branch());
            assertThat(last.cseqNumber()).isEqualTo(again.cseqNumber());
            assertThat(last.statusCode()).isIn(200, 403);
            if (last.statusCode() == 200) {
                registered++;
                assertThat(last.contact().expires()).isEqualTo(3600);
            }
        }
        assertThat(registered).isEqualTo(85);
    }

    // ------------------------------------------------------------------ cast, durations, options

    @Test
    void defaultCastIsTheHepgen20CallsOne() {
        Generated g = new Generated(config().calls(300).registrations(0).users(6).build());
        Set<String> callees = new TreeSet<>();
        Set<String> callers = new TreeSet<>();
        Set<String> ips = new TreeSet<>();
        Map<String, String> ipOf = new HashMap<>();
        for (List<Generated.Item> d : g.dialogs().values()) {
            SipMessage invite = d.get(0).sip();
            callees.add(invite.requestUri().user());
            callers.add(invite.from().uri().user());
            ips.add(d.get(0).packet().hep().srcIpText());
            ipOf.put(invite.from().uri().user(), d.get(0).packet().hep().srcIpText());
        }
        assertThat(callees).containsExactlyInAnyOrderElementsOf(TrafficConfig.DEFAULT_DESTINATIONS);
        assertThat(callers).containsExactlyInAnyOrderElementsOf(TrafficConfig.DEFAULT_CALLER_NUMBERS);
        assertThat(ips).containsExactlyInAnyOrderElementsOf(TrafficConfig.DEFAULT_CALLER_IPS);
        // as in testdata/SOURCES.md: +442071838750 calls from 81.2.69.142, +12125550199 from 12.81.92.20
        assertThat(ipOf).containsEntry("+442071838750", "81.2.69.142").containsEntry("+12125550199", "12.81.92.20");
    }

    @Test
    void moreUsersAndDestinationsAreVariantsOfTheBaseNumbers() {
        Generated g = new Generated(config().calls(3000).registrations(0).users(600).destinations(90).build());
        Set<String> callers = new HashSet<>();
        Set<String> callees = new HashSet<>();
        for (List<Generated.Item> d : g.dialogs().values()) {
            callers.add(d.get(0).sip().from().uri().user());
            callees.add(d.get(0).sip().requestUri().user());
        }
        assertThat(callers).hasSizeBetween(500, 600);
        assertThat(callees).hasSize(90);
        for (String c : callees) {
            String base = TrafficConfig.DEFAULT_DESTINATIONS.stream()
                    .filter(b -> b.length() == c.length() && c.startsWith(b.substring(0, b.length() - 4))).findFirst()
                    .orElseThrow(() -> new AssertionError(c + " is not a variant of a default destination"));
            assertThat(base).isNotNull();
        }
    }

    @Test
    void callDurationsAndLogLinesFollowTheConfiguration() {
        Generated g = new Generated(config().calls(100).registrations(0).callDuration(DurationDistribution.parse("uniform:20-40"))
                .build());
        Map<String, List<Generated.Item>> logs = g.correlated(HepPacket.PROTO_LOG);
        int answered = 0;
        for (Map.Entry<String, List<Generated.Item>> e : g.dialogs().entrySet()) {
            List<Generated.Item> d = e.getValue();
            long ok = -1;
            long bye = -1;
            for (Generated.Item i : d) {
                SipMessage m = i.sip();
                if (m.isResponse() && m.statusCode() == 200 && m.cseqMethod().equals("INVITE")) {
                    ok = i.time();
                }
                if (m.isRequest() && m.method().equals("BYE")) {
                    bye = i.time();
                }
            }
            List<Generated.Item> log = logs.get(e.getKey());
            assertThat(log).hasSize(1);
            Generated.Item line = log.get(0);
            assertThat(line.time()).isGreaterThan(d.get(d.size() - 1).time());
            StringBuilder when = new StringBuilder();
            Scenario.isoMillis(when, line.time());
            SipMessage invite = d.get(0).sip();
            String expected = when + " sbc-01 kamailio[2154]: NOTICE: <script>: call " + e.getKey() + " from "
                    + invite.from().uri().user() + " (" + d.get(0).packet().hep().srcIpText() + ") to "
                    + invite.requestUri().user() + ": ";
            assertThat(line.text()).startsWith(expected);
            if (bye > 0) {
                answered++;
                long seconds = (bye - ok) / 1_000_000L;
                assertThat(bye - ok).isEqualTo(seconds * 1_000_000L);
                assertThat(seconds).isBetween(20L, 40L);
                assertThat(line.text()).isEqualTo(expected + "answered, " + seconds + "s");
            }
        }
        assertThat(answered).isEqualTo(70);
    }

    @Test
    void isoMillisFormatsLikeTheSourcesExample() {
        StringBuilder sb = new StringBuilder();
        Scenario.isoMillis(sb, T0 + 5_000);
        sb.append(' ');
        Scenario.isoMillis(sb, T0 + 86_400_000_000L * 40 + 3_723_045_999L);
        assertThat(sb).hasToString("2026-01-01T00:00:00.005Z 2026-02-10T01:02:03.045Z");
    }

    @Test
    void rtcpAndLogsCanBeLeftOut() {
        Generated g = new Generated(config().calls(50).registrations(10).rtcp(false).logs(false).build());
        assertThat(g.items).allMatch(i -> i.packet().hep().protoType == HepPacket.PROTO_SIP);
        List<Integer> sizes = new ArrayList<>();
        g.dialogs().values().forEach(d -> sizes.add(d.size()));
        assertThat(sizes).hasSize(60);
    }
}
