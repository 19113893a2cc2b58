package io.hepstack.collector.hep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

/** Packets with every field set, and a field-by-field comparison. */
final class HepTestPackets {

    static final String SIP = "INVITE sip:+442079460123@sbc.example.net SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 81.2.69.142:5060;branch=z9hG4bK-1\r\n"
            + "Call-ID: 325a1333-0ebb-5c2d-38a24bec5164@81.2.69.142\r\n"
            + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";

    private HepTestPackets() {
    }

    /** Every generic chunk set, with values at the edges of their ranges, plus a vendor and an unknown chunk. */
    static HepPacket everyChunk(boolean ipv6) {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = ipv6 ? HepPacket.AF_INET6 : HepPacket.AF_INET;
        p.ipProtocol = 132;
        p.srcIp = ipv6 ? new byte[] {0x20, 0x01, 0x02, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1} : new byte[] {81, 2, 69, (byte) 142};
        p.dstIp = ipv6 ? new byte[] {0x26, 0, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1} : new byte[] {(byte) 192, 0, 2, 10};
        p.srcPort = 65535;
        p.dstPort = 0;
        p.timeSeconds = 0xffff_ffffL;
        p.timeMicros = 999_999;
        p.protoType = 255;
        p.captureId = 0xffff_fffeL;
        p.keepAliveTimer = 30;
        p.authKey = "myHep";
        p.payload = SIP.getBytes(StandardCharsets.UTF_8);
        p.correlationId = "325a1333-0ebb-5c2d-38a24bec5164@81.2.69.142";
        p.vlanId = 4094;
        p.nodeName = "hepgen-01";
        p.srcMac = new byte[] {0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e};
        p.dstMac = new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        p.ethernetType = 0x86dd;
        p.tcpFlags = 0x18;
        p.ipTos = 0xb8;
        p.mos = 436;
        p.rFactor = 9320;
        p.geoLocation = "51.5142,-0.0931";
        p.jitter = 226;
        p.transactionType = "call";
        p.payloadJsonKeys = "ssrc,report_blocks";
        p.tagsValues = "région=Île-de-France"; // non-ASCII: UTF-8 both ways
        p.tagType = 7;
        p.eventType = 1;
        p.groupId = "group-7";
        p.addOtherChunk(new HepChunk(0x0004, 0x0001, new byte[] {1, 2, 3}));   // a vendor chunk
        p.addOtherChunk(new HepChunk(0x0000, 0x0030, new byte[0]));          // an unknown generic type
        p.addOtherChunk(new HepChunk(0xffff, 0xffff, "x".getBytes(StandardCharsets.US_ASCII)));
        return p;
    }

    /** A minimal v3 SIP packet like Kamailio's siptrace sends. */
    static HepPacket simpleSip() {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = HepPacket.AF_INET;
        p.ipProtocol = 17;
        p.srcIp = new byte[] {127, 0, 0, 1};
        p.dstIp = new byte[] {127, 0, 0, 1};
        p.srcPort = 5061;
        p.dstPort = 5060;
        p.timeSeconds = 1_795_475_037L;
        p.timeMicros = 130_511;
        p.protoType = HepPacket.PROTO_SIP;
        p.captureId = 2001;
        p.payload = SIP.getBytes(StandardCharsets.UTF_8);
        return p;
    }

    /** Every field, public and the other chunks, compared by value (arrays element-wise). */
    static void assertSamePacket(HepPacket actual, HepPacket expected) {
        assertThat(actual)
                .usingRecursiveComparison()
                .ignoringFields("srcIpText", "dstIpText")
                .isEqualTo(expected);
    }
}
