package io.hepstack.collector.hep;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Address texts: IPv4 dotted quads come from a table of recent ones, which must never answer another address. */
class HepPacketTest {

    @Test
    void dottedQuadOfEveryAddressEvenWhenSlotsAreShared() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5000; i++) {
                byte[] a = {(byte) (i >>> 8), (byte) i, (byte) (255 - (i & 0xff)), (byte) (i * 7)};
                String expected = (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
                assertThat(HepPacket.ipText(a)).isEqualTo(expected);
            }
        }
        assertThat(HepPacket.ipText(new byte[]{(byte) 255, 0, 0, 1})).isEqualTo("255.0.0.1");
        assertThat(HepPacket.ipText(new byte[]{0, 0, 0, 0})).isEqualTo("0.0.0.0");
    }

    @Test
    void aPacketsTextsAreItsOwnAddresses() {
        HepPacket p = HepPacket.sip(new byte[]{10, 0, 0, 1}, new byte[]{(byte) 192, (byte) 168, 1, (byte) 200}, 5060, 5080, 17, 1, new byte[0]);
        HepPacket q = HepPacket.sip(new byte[]{(byte) 192, (byte) 168, 1, (byte) 200}, new byte[]{10, 0, 0, 1}, 5080, 5060, 17, 1, new byte[0]);
        assertThat(p.srcIpText()).isEqualTo("10.0.0.1").isSameAs(q.dstIpText());
        assertThat(p.dstIpText()).isEqualTo("192.168.1.200").isEqualTo(q.srcIpText());
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[15] = 1;
        assertThat(HepPacket.ipText(v6)).isEqualTo("2001::1");
    }
}
