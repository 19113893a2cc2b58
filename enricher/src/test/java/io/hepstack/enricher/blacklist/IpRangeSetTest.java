package io.hepstack.enricher.blacklist;

import io.hepstack.enricher.net.Cidr;
import io.hepstack.enricher.net.IpAddress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IpRangeSetTest {

    private static IpRangeSet<String> set(String... cidrs) {
        List<String> order = new ArrayList<>(List.of(cidrs));
        Collections.shuffle(order, new Random(7)); // input order must not matter (except for duplicates)
        IpRangeSet.Builder<String> b = new IpRangeSet.Builder<>();
        for (String c : order) {
            b.add(Cidr.parse(c), c);
        }
        return b.build();
    }

    private static String find(IpRangeSet<String> s, String ip) {
        return s.find(IpAddress.parse(ip));
    }

    @Test
    void mostSpecificNetworkWinsAndTheOuterOneResumesAfterIt() {
        IpRangeSet<String> s = set("10.0.0.0/8", "10.1.0.0/16", "10.1.2.3", "10.1.255.255", "10.2.0.0/31");
        assertThat(s.size()).isEqualTo(5);
        assertThat(find(s, "9.255.255.255")).isNull();
        assertThat(find(s, "10.0.0.0")).isEqualTo("10.0.0.0/8");
        assertThat(find(s, "10.0.255.255")).isEqualTo("10.0.0.0/8");
        assertThat(find(s, "10.1.0.0")).isEqualTo("10.1.0.0/16");
        assertThat(find(s, "10.1.2.2")).isEqualTo("10.1.0.0/16");
        assertThat(find(s, "10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(find(s, "10.1.2.4")).isEqualTo("10.1.0.0/16");
        assertThat(find(s, "10.1.255.254")).isEqualTo("10.1.0.0/16");
        assertThat(find(s, "10.1.255.255")).isEqualTo("10.1.255.255");
        assertThat(find(s, "10.2.0.0")).isEqualTo("10.2.0.0/31");
        assertThat(find(s, "10.2.0.1")).isEqualTo("10.2.0.0/31");
        assertThat(find(s, "10.2.0.2")).isEqualTo("10.0.0.0/8");
        assertThat(find(s, "10.255.255.255")).isEqualTo("10.0.0.0/8");
        assertThat(find(s, "11.0.0.0")).isNull();
    }

    @Test
    void edgesOfTheAddressSpace() {
        IpRangeSet<String> v4 = set("0.0.0.0/0", "255.255.255.255", "0.0.0.0");
        assertThat(find(v4, "0.0.0.0")).isEqualTo("0.0.0.0");
        assertThat(find(v4, "0.0.0.1")).isEqualTo("0.0.0.0/0");
        assertThat(find(v4, "255.255.255.254")).isEqualTo("0.0.0.0/0");
        assertThat(find(v4, "255.255.255.255")).isEqualTo("255.255.255.255");
        IpRangeSet<String> v6 = set("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "8000::/1", "2001:db8::/32");
        assertThat(find(v6, "::1")).isEqualTo("::/0");
        assertThat(find(v6, "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isEqualTo("::/0");
        assertThat(find(v6, "8000::")).isEqualTo("8000::/1");
        assertThat(find(v6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")).isEqualTo("8000::/1");
        assertThat(find(v6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isEqualTo("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        assertThat(find(v6, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).isEqualTo("2001:db8::/32");
        assertThat(find(v6, "2001:db9::")).isEqualTo("::/0");
    }

    @Test
    void ipv6NetworksAcrossThe64BitBoundary() {
        IpRangeSet<String> s = set("2001:db8:0:1::/64", "2001:db8:0:1:8000::/65", "2001:db8::/63");
        assertThat(find(s, "2001:db8::ffff")).isEqualTo("2001:db8::/63");
        assertThat(find(s, "2001:db8:0:1::1")).isEqualTo("2001:db8:0:1::/64");
        assertThat(find(s, "2001:db8:0:1:7fff:ffff:ffff:ffff")).isEqualTo("2001:db8:0:1::/64");
        assertThat(find(s, "2001:db8:0:1:8000::")).isEqualTo("2001:db8:0:1:8000::/65");
        assertThat(find(s, "2001:db8:0:1:ffff:ffff:ffff:ffff")).isEqualTo("2001:db8:0:1:8000::/65");
        assertThat(find(s, "2001:db8:0:2::")).isNull();
    }

    @Test
    void agreesWithALinearScanOnRandomNestedNetworks() {
        Random r = new Random(42);
        List<Cidr> cidrs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int prefix = 8 + r.nextInt(25);
            int addr = (10 << 24) | (r.nextInt(1 << 20) << 4);
            int mask = prefix == 32 ? -1 : ~(-1 >>> prefix);
            cidrs.add(new Cidr(IpAddress.ofV4(addr & mask), prefix));
        }
        IpRangeSet.Builder<Cidr> b = new IpRangeSet.Builder<>();
        cidrs.forEach(c -> b.add(c, c));
        IpRangeSet<Cidr> s = b.build();
        for (int i = 0; i < 20_000; i++) {
            IpAddress a = IpAddress.ofV4((10 << 24) | r.nextInt(1 << 24));
            Cidr expected = cidrs.stream().filter(c -> c.contains(a)).max(java.util.Comparator.comparingInt(Cidr::prefix))
                    .orElse(null);
            assertThat(s.find(a)).as(a.toString()).isEqualTo(expected);
        }
    }
}
