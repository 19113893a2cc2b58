package io.hepstack.enricher.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class IpAddressTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "192.0.2.1, 192.0.2.1", "0.0.0.0, 0.0.0.0", "255.255.255.255, 255.255.255.255",
        "2001:db8::1, 2001:db8::1", "2001:DB8:0:0:0:0:0:1, 2001:db8::1", "::, ::", "::1, ::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", "fe80::1%eth0, fe80::1", "[2001:db8::5], 2001:db8::5",
        "::ffff:192.0.2.7, 192.0.2.7", "::ffff:c000:207, 192.0.2.7", "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8", "1::, 1::", "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
    })
    void parsesAndPrintsCanonically(String in, String out) throws Exception {
        IpAddress a = IpAddress.parse(in);
        assertThat(a).isNotNull();
        assertThat(a.toString()).isEqualTo(out);
        // the JDK parses literals without lookups too: same bytes
        String jdk = in.replace("[", "").replace("]", "").replaceAll("%.*", "");
        assertThat(IpAddress.of(InetAddress.getByName(jdk).getAddress())).isEqualTo(a);
        assertThat(IpAddress.of(a.toBytes())).isEqualTo(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "192.0.2", "192.0.2.1.5", "192.0.2.256", "192.0.2.-1", "01.2.3.4", "1.2.3.4 ",
        "a.b.c.d", "1..2.3", "2001:db8:::1", "2001:db8::1::2", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", ":1::2",
        "1::2:", "12345::", "g::1", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "host.example.com", "[::1", "%eth0"})
    void rejectsWhatIsNotALiteral(String s) {
        assertThat(IpAddress.parse(s)).isNull();
    }

    @Test
    void equalityAndHashIgnoreTheSpelling() {
        assertThat(IpAddress.parse("2001:DB8::1")).isEqualTo(IpAddress.parse("2001:db8:0::1"))
                .hasSameHashCodeAs(IpAddress.parse("2001:db8:0:0:0:0:0:1"));
        assertThat(IpAddress.parse("0.0.0.1")).isNotEqualTo(IpAddress.parse("::1"));
        assertThat(IpAddress.parse("192.0.2.1").isV4()).isTrue();
        assertThat(IpAddress.parse("2001:db8::1").bits()).isEqualTo(128);
    }

    @Test
    void cidrContainment() {
        Cidr net = Cidr.parse("2001:db8::/32");
        assertThat(net.contains(IpAddress.parse("2001:db8:ffff::1"))).isTrue();
        assertThat(net.contains(IpAddress.parse("2001:db9::"))).isFalse();
        assertThat(net.contains(IpAddress.parse("192.0.2.1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(IpAddress.parse("203.0.113.5"))).isTrue();
        assertThat(Cidr.parse("192.0.2.1").isSingleAddress()).isTrue();
        assertThat(Cidr.parse("192.0.2.0/24").toString()).isEqualTo("192.0.2.0/24");
        assertThat(Cidr.parse("::/0").lastHi()).isEqualTo(-1L);
    }
}
