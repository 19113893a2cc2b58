package io.hepstack.collector.parse;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.document.DocumentIds;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.payload.RawProtocol;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.pipeline.StageContext;
import io.hepstack.collector.pipeline.Transport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which protocol takes which packet, and what the parse stage makes of it. */
class ProtocolsTest {

    private static final Protocols STANDARD = Protocols.standard(new ObjectMapper(), true);

    private static HepPacket packet(int type, String payload) {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.protoType = type;
        p.timeSeconds = 1_767_225_600L;
        p.payload = payload.getBytes(StandardCharsets.UTF_8);
        return p;
    }

    @ParameterizedTest(name = "type {0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            1   | 'INVITE sip:a@b SIP/2.0'                                                    | sip        | sip
            1   | 'PUBLISH sip:c@d SIP/2.0\r\nContent-Type: application/pidf+xml\r\n\r\n'     | sip        | sip
            1   | 'PUBLISH sip:c@d SIP/2.0\r\nContent-Type: application/vq-rtcpxr\r\n\r\n'    | vq_rtcpxr  | rtcpxr
            5   | '{"ssrc":1}'                                                                | rtcp       | rtcp
            32  | '{"MOS":4.1}'                                                               | qos_report | rtcp
            34  | '{"MOS":4.1}'                                                               | qos_report | rtcp
            35  | '{"MOS":4.1}'                                                               | qos_report | rtcp
            53  | '{"id":1,"qr":false}'                                                       | dns        | dns
            100 | 'call x ended'                                                              | log        | log
            100 | '{"event":"hangup"}'                                                        | log        | log
            54  | '  {"anything":1}'                                                           | json       | log
            99  | '[1,2]'                                                                     | json       | log
            99  | 'plain text'                                                                | other      | log
            255 | ''                                                                          | other      | log
            """)
    void eachPacketGoesToItsProtocol(int type, String payload, String dataset, String family) {
        PayloadProtocol<?> p = STANDARD.of(packet(type, payload.replace("\\r\\n", "\r\n")));
        assertThat(p.dataset()).isEqualTo(dataset);
        assertThat(p.family()).isEqualTo(family);
    }

    @Test
    void theIdentifyStageMasksCredentialsBeforeTheIdAndTheParseStageAfterTheWindowSeesThemMasked() {
        MetricRegistry metrics = new MetricRegistry();
        IdentifyStage identify = new IdentifyStage(new StageContext("identify", metrics), STANDARD);
        ParseStage parse = new ParseStage(new StageContext("parse", metrics), STANDARD);
        String register = "REGISTER sip:example.com SIP/2.0\r\nCall-ID: r1\r\nCSeq: 2 REGISTER\r\n"
                + "Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"n1\", response=\"0123456789abcdef\"\r\n\r\n";
        String unmaskedId = DocumentIds.of(packet(1, register));
        CapturedMessage m = new CapturedMessage(packet(1, register), Transport.UDP, null);
        List<CapturedMessage> batch = new ArrayList<>(List.of(m));
        identify.process(new Batch(batch));
        String text = new String(m.hep.payload, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("0123456789abcdef").contains("response=\"****************\"");
        assertThat(m.id).isEqualTo(DocumentIds.of(m.hep)).isNotEqualTo(unmaskedId);
        assertThat(m.protocol.dataset()).isEqualTo("sip");
        assertThat(m.index).startsWith("hep-sip-");
        assertThat(m.parsed).as("parsed only after the window").isNull();

        parse.process(new Batch(batch));
        assertThat(m.parsed).isInstanceOf(io.hepstack.collector.protocol.sip.SipMessage.class);
        assertThat(m.parsed.toString()).doesNotContain("0123456789abcdef");
        assertThat(metrics.meter("parse.sip.ok").getCount()).isEqualTo(1);
    }

    @Test
    void aStoredMessageReplayedAtARestartIsDroppedWhenTheWriteAheadBufferHandsItOnAgain() {
        MetricRegistry metrics = new MetricRegistry();
        ParseStage stage = new ParseStage(new StageContext("parse", metrics), STANDARD);
        String invite = "INVITE sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n";
        CapturedMessage fromStorage = new CapturedMessage(packet(1, invite), Transport.UDP, null);
        fromStorage.storedId = DocumentIds.of(packet(1, invite)); // as es/StoredTail reads it back
        stage.process(new Batch(new ArrayList<>(List.of(fromStorage)))); // the stored-tail replay

        CapturedMessage again = new CapturedMessage(packet(1, invite), Transport.UDP, null); // the same packet from the buffer
        again.previousRun = true;
        HepPacket later = packet(1, invite);
        later.timeMicros = 5; // a retransmission: another capture time
        CapturedMessage retransmission = new CapturedMessage(later, Transport.UDP, null);
        retransmission.previousRun = true;
        List<CapturedMessage> fromBuffer = new ArrayList<>(List.of(again, retransmission));
        stage.process(new Batch(fromBuffer));
        assertThat(fromBuffer).containsExactly(retransmission);
        assertThat(metrics.meter("parse.replayed_twice").getCount()).isEqualTo(1);
    }

    @Test
    void theParseStageCountsPerProtocolAndKeepsWhatDoesNotParse() {
        MetricRegistry metrics = new MetricRegistry();
        ParseStage stage = new ParseStage(new StageContext("parse", metrics), STANDARD);
        List<CapturedMessage> in = List.of(
                new CapturedMessage(packet(1, "INVITE sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n"), Transport.UDP, null),
                new CapturedMessage(packet(1, "not sip at all\r\n\r\n"), Transport.UDP, null),
                new CapturedMessage(packet(5, "{\"ssrc\": ["), Transport.UDP, null),
                new CapturedMessage(packet(53, "\u0000\u0001"), Transport.UDP, null));
        stage.process(new Batch(in));
        assertThat(in).extracting(m -> m.index).containsExactly("hep-sip-2026.01.01", "hep-sip-2026.01.01",
                "hep-rtcp-2026.01.01", "hep-dns-2026.01.01");
        assertThat(in.get(0).parseError).isNull();
        assertThat(in.get(1).parseError).startsWith("sip_parse: ");
        assertThat(in.get(2).parseError).startsWith("rtcp_parse: malformed JSON");
        assertThat(in.get(3).parseError).startsWith("dns_parse: ");
        assertThat(in).allSatisfy(m -> assertThat(m.id).hasSize(22));
        assertThat(metrics.meter("parse.sip.ok").getCount()).isEqualTo(1);
        assertThat(metrics.meter("parse.sip.failed").getCount()).isEqualTo(1);
        assertThat(metrics.meter("parse.rtcp.failed").getCount()).isEqualTo(1);
        assertThat(metrics.meter("parse.dns.failed").getCount()).isEqualTo(1);
        assertThat(metrics.getMeters()).containsKeys("parse.vq_rtcpxr.ok", "parse.other.ok", "parse.json.failed");
    }

    @Test
    void theRawProtocolAlwaysTakesWhatNothingElseDoes() {
        Protocols onlySip = new Protocols(List.of(STANDARD.all().get(1)));
        assertThat(onlySip.of(packet(5, "{}"))).isInstanceOf(RawProtocol.class);
        assertThat(onlySip.lastResort()).isInstanceOf(RawProtocol.class);
        assertThat(onlySip.families()).containsExactly("sip", "log");
    }

    @Test
    void badRegistrationsAreRefused() {
        PayloadProtocol<Void> bad = new PayloadProtocol<>() {
            @Override
            public String dataset() {
                return "bad";
            }

            @Override
            public String family() {
                return "Bad Family";
            }

            @Override
            public int[] protoTypes() {
                return new int[] {7};
            }

            @Override
            public Void parse(HepPacket packet) {
                return null;
            }

            @Override
            public void write(Void parsed, CapturedMessage m, com.fasterxml.jackson.core.JsonGenerator g) {
            }
        };
        assertThatThrownBy(() -> new Protocols(List.of(bad))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[a-z0-9_]+");
    }
}
