package io.hepstack.enricher.cache;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedCacheTest {

    @Test
    void hitsMissesNullsAndGenerations() {
        BoundedCache<String, String> c = new BoundedCache<>(100);
        assertThat(c.capacity()).isEqualTo(128);
        AtomicInteger computed = new AtomicInteger();
        assertThat(c.computeIfAbsent("a", 0, k -> { computed.incrementAndGet(); return k.toUpperCase(); })).isEqualTo("A");
        assertThat(c.computeIfAbsent("a", 0, k -> { computed.incrementAndGet(); return "other"; })).isEqualTo("A");
        assertThat(c.computeIfAbsent("n", 0, k -> { computed.incrementAndGet(); return null; })).isNull();
        assertThat(c.computeIfAbsent("n", 0, k -> { computed.incrementAndGet(); return "x"; })).as("null is cached").isNull();
        assertThat(computed.get()).isEqualTo(2);
        assertThat(c.computeIfAbsent("a", 1, k -> "new generation")).isEqualTo("new generation");
        assertThat(c.hits()).isEqualTo(2);
        assertThat(c.misses()).isEqualTo(3);
    }

    @Test
    void boundedByConstruction() {
        BoundedCache<Integer, Integer> c = new BoundedCache<>(16);
        for (int i = 0; i < 10_000; i++) {
            c.computeIfAbsent(i, 0, k -> k);
        }
        int cached = 0;
        for (int i = 0; i < 10_000; i++) {
            long before = c.hits();
            c.computeIfAbsent(i, 0, k -> k);
            cached += c.hits() > before ? 1 : 0;
        }
        assertThat(cached).isLessThanOrEqualTo(16);
        assertThat(new BoundedCache<String, String>(0).computeIfAbsent("a", 0, k -> "b")).isEqualTo("b");
        assertThat(new BoundedCache<String, String>(1).capacity()).isEqualTo(1);
        assertThatThrownBy(() -> new BoundedCache<String, String>(-1)).hasMessageContaining("-1");
    }
}
