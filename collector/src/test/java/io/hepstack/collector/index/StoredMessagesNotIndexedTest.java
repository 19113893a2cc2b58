package io.hepstack.collector.index;

import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.StageContext;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.testing.Parsing;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message replayed from storage at a restart ({@link CapturedMessage#storedId}) is not indexed
 * again; the others of its batch are.
 */
class StoredMessagesNotIndexedTest {

    @Test
    void storedMessagesAreNotWrittenAgain() throws Exception {
        List<CapturedMessage> messages = sip(6);
        for (int i = 0; i < messages.size(); i += 2) {
            messages.get(i).storedId = "stored-" + i;
        }
        List<IndexRequest> written = new ArrayList<>();
        DocumentSink sink = r -> {
            synchronized (written) {
                written.add(r);
            }
        };
        MetricRegistry metrics = new MetricRegistry();
        StageContext ctx = new StageContext("index", metrics);
        IndexStage stage = new IndexStage(ctx, new MessageDocumentWriter(), sink);
        new Parsing().parse(messages);
        stage.process(new Batch(messages));
        stage.flush(Batch.empty());

        assertThat(written).extracting(IndexRequest::id).containsExactly(messages.get(1).id, messages.get(3).id,
                messages.get(5).id);
        assertThat(metrics.meter("index.documents").getCount()).isEqualTo(3);
    }

    /** The first {@code n} SIP packets of a HEP capture, as the listener hands them on. */
    private static List<CapturedMessage> sip(int n) throws IOException {
        HepDecoder decoder = new HepDecoder();
        List<CapturedMessage> out = new ArrayList<>();
        for (PcapPacket frame : PcapReader.read(Path.of("../testdata/hep/hepgen-20calls.pcap"))) {
            if (out.size() == n) {
                break;
            }
            if (frame.isUdp() && frame.payload().length > 0) {
                HepPacket p = decoder.decode(frame.payload(), 0, frame.payload().length);
                if (p.protoType == HepPacket.PROTO_SIP) {
                    out.add(new CapturedMessage(p, Transport.UDP, null));
                }
            }
        }
        return out;
    }
}
