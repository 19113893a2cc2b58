package io.hepstack.collector.correlate;

import io.hepstack.collector.index.IndexRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index stage on a thread of its own ({@code pipeline.indexThreadBatches} > 0) writes exactly what it writes on the pipeline's worker: every capture and scenario of
 * {@link ArrivalOrderTest#captures()} replayed both ways (wall clock fixed, queue of one batch so the
 * worker often waits for the index thread) gives the same message, TDR and alert documents, byte
 * for byte, in the same order per document id.
 */
class IndexThreadTest {

    private static final long WALL = System.currentTimeMillis() * 1000;

    static Stream<ArrivalOrderTest.Capture> captures() {
        return ArrivalOrderTest.captures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void messageDocumentsWrittenOnTheIndexThreadAreThoseOfTheWorker(ArrivalOrderTest.Capture c) {
        List<String> onWorker = written(c, 0);
        List<String> onThread = written(c, 1);
        assertThat(onWorker).isNotEmpty();
        assertThat(onThread).isEqualTo(onWorker);
    }

    /** Every request the sink got, as text, messages first then TDRs and alerts, each kind in write order. */
    private static List<String> written(ArrivalOrderTest.Capture c, int indexThreadBatches) {
        Harness h = Harness.writingMessages(new CorrelationConfig(), () -> WALL, indexThreadBatches);
        CaptureReplay.replay(c.packets(), h, c.ticks());
        h.stages.stop();
        List<String> messages = new ArrayList<>();
        List<String> records = new ArrayList<>();
        synchronized (h.sink) {
            for (IndexRequest r : h.sink.requests) {
                String line = r.index() + " " + r.id() + " " + r.create() + " " + r.externalVersion() + " "
                        + new String(r.source(), StandardCharsets.UTF_8);
                (r.create() ? messages : records).add(line);
            }
        }
        messages.addAll(records);
        return messages;
    }
}
