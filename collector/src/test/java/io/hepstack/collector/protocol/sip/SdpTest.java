package io.hepstack.collector.protocol.sip;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SdpTest {

    static final String OFFER = String.join("\r\n",
            "v=0",
            "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com",
            "s=-",
            "c=IN IP4 192.0.2.101",
            "t=0 0",
            "a=sendonly",
            "a=group:BUNDLE a v",
            "m=audio 49170 RTP/AVP 0 8 97 101 13",
            "a=rtpmap:97 iLBC/8000",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-15",
            "a=fmtp:97 mode=30",
            "a=ptime:20",
            "a=rtcp:49171 IN IP4 192.0.2.101",
            "m=video 51372/2 RTP/SAVP 31 96",
            "c=IN IP4 224.2.1.1/127",
            "a=rtpmap:96 H264/90000",
            "a=recvonly",
            "a=rtcp-mux",
            "m=audio 0 RTP/AVP 18 100",
            "m=image 5000 udptl t38",
            "a=T38FaxVersion:0",
            "m=audio 6000 RTP/AVP 98",
            "a=rtpmap:98 opus/48000/2",
            "a=inactive",
            "");

    @Test
    void sessionLevel() {
        Sdp sdp = Sdp.parse(OFFER);
        assertThat(sdp.version()).isZero();
        assertThat(sdp.originUsername()).isEqualTo("alice");
        assertThat(sdp.originSessionId()).isEqualTo("2890844526");
        assertThat(sdp.originSessionVersion()).isEqualTo("2890844527");
        assertThat(sdp.originNetType()).isEqualTo("IN");
        assertThat(sdp.originAddrType()).isEqualTo("IP4");
        assertThat(sdp.originAddress()).isEqualTo("host.atlanta.example.com");
        assertThat(sdp.sessionName()).isEqualTo("-");
        assertThat(sdp.connectionAddress()).isEqualTo("192.0.2.101");
        assertThat(sdp.direction()).isEqualTo(Sdp.SENDONLY);
        assertThat(sdp.media()).extracting(SdpMedia::type).containsExactly("audio", "video", "audio", "image", "audio");
        assertThat(sdp.problems()).isEmpty();
    }

    @Test
    void audioWithStaticAndDynamicPayloadTypes() {
        SdpMedia a = Sdp.parse(OFFER).media().get(0);
        assertThat(a.port()).isEqualTo(49170);
        assertThat(a.portCount()).isEqualTo(1);
        assertThat(a.protocol()).isEqualTo("RTP/AVP");
        assertThat(a.payloadTypes()).containsExactly(0, 8, 97, 101, 13);
        assertThat(a.codecs()).extracting(SdpCodec::toString)
                .containsExactly("PCMU/8000", "PCMA/8000", "iLBC/8000", "telephone-event/8000", "CN/8000");
        assertThat(a.codec(97).fmtp()).isEqualTo("mode=30");
        assertThat(a.fmtp(101)).isEqualTo("0-15");
        assertThat(a.fmtp(0)).isNull();
        assertThat(a.fmtp(55)).isNull();
        assertThat(a.ptime()).isEqualTo(20);
        assertThat(a.rtcpPort()).isEqualTo(49171);
        assertThat(a.rtcpMux()).isFalse();
        assertThat(a.direction()).isEqualTo("sendonly"); // from the session level
        assertThat(a.connectionAddress()).isEqualTo("192.0.2.101"); // from the session level
        assertThat(a.attribute("rtpmap")).isEqualTo("97 iLBC/8000");
        assertThat(a.attribute("missing")).isNull();
    }

    @Test
    void mediaLevelOverridesSessionLevel() {
        SdpMedia v = Sdp.parse(OFFER).media().get(1);
        assertThat(v.port()).isEqualTo(51372);
        assertThat(v.portCount()).isEqualTo(2);
        assertThat(v.protocol()).isEqualTo("RTP/SAVP");
        assertThat(v.codecs()).extracting(SdpCodec::toString).containsExactly("H261/90000", "H264/90000");
        assertThat(v.connectionAddress()).isEqualTo("224.2.1.1");
        assertThat(v.direction()).isEqualTo(Sdp.RECVONLY);
        assertThat(v.rtcpMux()).isTrue();
        assertThat(v.rtcpPort()).isEqualTo(-1);
        assertThat(v.ptime()).isEqualTo(-1);
    }

    @Test
    void disabledStreamsNonRtpAndChannels() {
        Sdp sdp = Sdp.parse(OFFER);
        SdpMedia off = sdp.media().get(2);
        assertThat(off.port()).isZero();
        assertThat(off.payloadTypes()).containsExactly(18, 100);
        assertThat(off.codecs()).extracting(SdpCodec::toString).containsExactly("G729/8000"); // 100 has no rtpmap
        SdpMedia fax = sdp.media().get(3);
        assertThat(fax.protocol()).isEqualTo("udptl");
        assertThat(fax.formats()).containsExactly("t38");
        assertThat(fax.payloadTypes()).isEmpty();
        assertThat(fax.codecs()).isEmpty();
        assertThat(fax.attribute("T38FaxVersion")).isEqualTo("0");
        SdpMedia opus = sdp.media().get(4);
        assertThat(opus.codec(98)).isEqualTo(new SdpCodec(98, "opus", 48000, 2, null));
        assertThat(opus.codec(98).toString()).isEqualTo("opus/48000/2");
        assertThat(opus.direction()).isEqualTo(Sdp.INACTIVE);
    }

    @Test
    void staticPayloadTypesOfRfc3551() {
        Sdp sdp = Sdp.parse("v=0\nm=audio 1 RTP/AVP 0 3 4 8 9 10 15 18 34 35\n");
        assertThat(sdp.media().get(0).codecs()).extracting(SdpCodec::toString).containsExactly(
                "PCMU/8000", "GSM/8000", "G723/8000", "PCMA/8000", "G722/8000", "L16/44100/2", "G728/8000", "G729/8000",
                "H263/90000");
        assertThat(sdp.media().get(0).direction()).isEqualTo(Sdp.SENDRECV);
        assertThat(sdp.direction()).isNull();
        assertThat(sdp.connectionAddress()).isNull();
        assertThat(sdp.media().get(0).connectionAddress()).isNull();
    }

    @Test
    void badLinesAreProblemsWithLineNumbers() {
        Sdp sdp = Sdp.parse(String.join("\n",
                "v=x",
                "o=only three fields",
                "garbage line",
                "c=IN IP4",
                "m=audio abc RTP/AVP 0",
                "a=rtpmap:xyz PCMU/8000",
                "a=rtpmap:96 opus",
                "a=ptime:fast",
                "a=rtcp:99999",
                "a=fmtp:300 x=1",
                "m=audio 5000/0 RTP/AVP 0",
                "m=audio",
                "", ""));
        assertThat(sdp.problems()).containsExactly(
                "line 1: invalid version",
                "line 2: o= needs 6 fields",
                "line 3: not a type=value line: 'garbage line'",
                "line 4: c= needs 3 fields",
                "line 5: invalid media port 'abc'",
                "line 6: invalid rtpmap 'xyz PCMU/8000'",
                "line 7: invalid rtpmap '96 opus'",
                "line 8: invalid ptime 'fast'",
                "line 9: invalid rtcp port '99999'",
                "line 10: invalid fmtp payload type in '300 x=1'",
                "line 11: invalid port count '5000/0'",
                "line 12: m= needs at least 3 fields");
        assertThat(sdp.version()).isEqualTo(-1);
        assertThat(sdp.media()).hasSize(3);
        assertThat(sdp.media().get(0).port()).isEqualTo(-1);
        assertThat(sdp.media().get(1).port()).isEqualTo(5000);
        assertThat(sdp.media().get(2).type()).isEqualTo("audio");
        assertThat(Sdp.parse("s=no version\r\n").problems()).containsExactly("missing v= line");
        assertThat(Sdp.parse("").problems()).containsExactly("missing v= line");
    }

    /** rtpmap is read in place (indexes, no substrings): white space, channels, empty names and bad numbers as before. */
    @Test
    void rtpmapEdgeCases() {
        Sdp sdp = Sdp.parse(String.join("\n",
                "v=0",
                "m=audio 4000 RTP/AVP 0 96 97 98 99 100 101 102",
                "a=rtpmap:0  \tPCMU/8000 \t",
                "a=rtpmap:96 opus/48000/2",
                "a=rtpmap:97 /8000",
                "a=rtpmap:98 AMR/80x0",
                "a=rtpmap:99 L16/8000/0",
                "a=rtpmap:100 speex/16000/",
                "a=rtpmap:1234567890 X/8000",
                "a=rtpmap:102 G7221/16000",
                "a=fmtp:102 bitrate=24000",
                "a=fmtp:96 minptime=10;useinbandfec=1",
                "", ""));
        assertThat(sdp.problems()).containsExactly(
                "line 5: invalid rtpmap '/8000'".replace("'/", "'97 /"),
                "line 6: invalid rtpmap '98 AMR/80x0'",
                "line 7: invalid rtpmap channels '99 L16/8000/0'",
                "line 8: invalid rtpmap channels '100 speex/16000/'",
                "line 9: invalid rtpmap '1234567890 X/8000'");
        assertThat(sdp.media().get(0).codecs()).containsExactly(
                new SdpCodec(0, "PCMU", 8000, 1, null),
                new SdpCodec(96, "opus", 48000, 2, "minptime=10;useinbandfec=1"),
                new SdpCodec(99, "L16", 8000, 1, null),
                new SdpCodec(100, "speex", 16000, 1, null),
                new SdpCodec(102, "G7221", 16000, 1, "bitrate=24000"));
    }

    @Test
    void offsetsIntoALargerArray() {
        byte[] b = ("XXXX" + OFFER + "YYYY").getBytes(StandardCharsets.UTF_8);
        Sdp sdp = Sdp.parse(b, 4, OFFER.length());
        assertThat(sdp.media()).hasSize(5);
        assertThat(sdp.problems()).isEmpty();
    }

    @Test
    void sdpOfAMessage() throws Exception {
        SipParser parser = new SipParser();
        String head = "SIP/2.0 200 OK\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\n"
                + "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n";
        SipMessage m = parser.parse(SipParserTest.bytes(head + "c: Application/SDP; charset=utf-8\r\n\r\n" + OFFER));
        assertThat(m.sdp().media()).hasSize(5);
        assertThat(m.sdp()).isSameAs(m.sdp());
        assertThat(m.problems()).isEmpty();

        String multipart = "--unique-boundary-1\r\n"
                + "Content-Type: application/isup;version=itu-t92+\r\n"
                + "Content-Disposition: signal;handling=optional\r\n\r\n"
                + "\u0001\u0002\u0003--not-a-boundary\r\n"
                + "--unique-boundary-1\r\n"
                + "content-type:application/sdp\r\n\r\n"
                + "v=0\r\nc=IN IP4 198.51.100.1\r\nm=audio 4000 RTP/AVP 8\r\n"
                + "--unique-boundary-1--\r\n";
        m = parser.parse(SipParserTest.bytes(head + "Content-Type: multipart/mixed;boundary=\"unique-boundary-1\"\r\n"
                + "Content-Length: " + multipart.length() + "\r\n\r\n" + multipart));
        assertThat(m.sdp().media().get(0).port()).isEqualTo(4000);
        assertThat(m.sdp().media().get(0).connectionAddress()).isEqualTo("198.51.100.1");
        assertThat(m.sdp().media().get(0).codecs()).extracting(SdpCodec::toString).containsExactly("PCMA/8000");
        assertThat(m.problems()).isEmpty();

        m = parser.parse(SipParserTest.bytes(head + "Content-Type: multipart/mixed\r\n\r\n" + multipart));
        assertThat(m.sdp()).isNull();
        assertThat(m.problems()).containsExactly("Content-Type: multipart without a boundary");

        m = parser.parse(SipParserTest.bytes(head + "Content-Type: text/plain\r\n\r\nv=0\r\n"));
        assertThat(m.sdp()).isNull();

        m = parser.parse(SipParserTest.bytes(head + "Content-Type: application/sdp\r\n\r\nv=0\r\nm=audio x RTP/AVP 0\r\n"));
        assertThat(m.sdp().media().get(0).port()).isEqualTo(-1);
        assertThat(m.problems()).containsExactly("SDP: line 2: invalid media port 'x'");
    }
}
