package io.hepstack.collector.correlate;

import com.codahale.metrics.Meter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Keys senders choose cannot outlive their call or pile up on it. */
class StateBoundsTest {

    @Test
    void aCallIndexesAtMost64MediaAddressesAndTheyAllGoWithIt() {
        Meter dropped = new Meter();
        MediaIndex index = new MediaIndex(1024, dropped);
        CallRecord call = new CallRecord("media-flood@test", 1, 0, 16);
        for (int port = 10_000; port < 10_200; port += 2) { // 100 re-INVITEs, each with a new port
            index.register(call, Side.CALLER, new MediaDescription("10.0.0.1", port, 0, List.of("PCMU"), null));
        }
        assertThat(index.addresses()).isEqualTo(MediaIndex.MAX_KEYS_PER_CALL);
        assertThat(dropped.getCount()).isEqualTo(100 - MediaIndex.MAX_KEYS_PER_CALL);
        assertThat(index.address("10.0.0.1", 10_198)).as("past the cap: not indexed").isNull();
        index.remove(call);
        assertThat(index.addresses()).as("nothing outlives the call").isZero();
    }
}
