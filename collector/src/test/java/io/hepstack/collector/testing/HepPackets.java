package io.hepstack.collector.testing;

import io.hepstack.collector.hep.HepPacket;

import java.nio.charset.StandardCharsets;

/** HEP packets made by hand for tests that need a message no capture has. */
public final class HepPackets {

    private HepPackets() {
    }

    /** A HEP3 packet of SIP {@code text} over UDP from 192.0.2.10:5060 to 192.0.2.20:5060, capture id 1, 2026-01-01. */
    public static HepPacket sip(String text) {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.protoType = HepPacket.PROTO_SIP;
        p.ipProtocol = 17;
        p.srcIp = new byte[]{(byte) 192, 0, 2, 10};
        p.dstIp = new byte[]{(byte) 192, 0, 2, 20};
        p.srcPort = 5060;
        p.dstPort = 5060;
        p.timeSeconds = 1_767_225_600L;
        p.captureId = 1;
        p.payload = text.getBytes(StandardCharsets.UTF_8);
        return p;
    }
}
