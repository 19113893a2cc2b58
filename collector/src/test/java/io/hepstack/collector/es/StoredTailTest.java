package io.hepstack.collector.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.document.DocumentIds;
import io.hepstack.collector.document.MessageFields;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.testing.Parsing;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StoredTail#rebuild}: a stored SIP document back into the message the collector had
 * received. For every SIP packet of the HEP captures, the document the collector writes (lean and
 * full) rebuilds into a message that parses to the same document id and, written again, to the
 * same document; what cannot be a packet is refused.
 */
class StoredTailTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The SIP packets of the HEP captures, as the listener hands them on (UDP, TCP). */
    private static List<CapturedMessage> captured() throws IOException {
        HepDecoder decoder = new HepDecoder();
        List<CapturedMessage> out = new ArrayList<>();
        for (String f : new String[]{"hepgen-20calls.pcap", "kamailio-hep3.pcap"}) {
            for (PcapPacket frame : PcapReader.read(Path.of("../testdata/hep/" + f))) {
                if (!frame.isUdp() || frame.payload().length == 0) {
                    continue;
                }
                HepPacket p = decoder.decode(frame.payload(), 0, frame.payload().length);
                if (p.protoType == HepPacket.PROTO_SIP) {
                    out.add(new CapturedMessage(p, out.size() % 2 == 0 ? Transport.UDP : Transport.TCP, null));
                }
            }
        }
        return new Parsing().parse(out);
    }

    @Test
    void aStoredSipDocumentRebuildsIntoTheMessageItWasWrittenFrom() throws IOException {
        for (MessageFields fields : MessageFields.values()) {
            MessageDocumentWriter writer = new MessageDocumentWriter(fields);
            List<CapturedMessage> originals = captured();
            assertThat(originals).hasSizeGreaterThan(100);
            for (CapturedMessage original : originals) {
                String stored = stripIngested(writer.write(original));
                ObjectNode hit = MAPPER.createObjectNode().put("_id", original.id);
                hit.set("_source", MAPPER.readTree(stored));

                CapturedMessage m = StoredTail.rebuild(hit);
                assertThat(m).as("%s %s", fields, original.id).isNotNull();
                assertThat(m.stored()).isTrue();
                assertThat(m.transport).isEqualTo(original.transport);
                HepPacket p = m.hep;
                HepPacket o = original.hep;
                assertThat(p.timestampMicros()).isEqualTo(o.timestampMicros());
                assertThat(p.srcIp).isEqualTo(o.srcIp);
                assertThat(p.dstIp).isEqualTo(o.dstIp);
                assertThat(p.srcPort).isEqualTo(o.srcPort);
                assertThat(p.dstPort).isEqualTo(o.dstPort);
                assertThat(p.ipProtocol).isEqualTo(o.ipProtocol);
                assertThat(p.captureId).isEqualTo(o.captureId);
                assertThat(p.nodeName).isEqualTo(o.nodeName);
                assertThat(p.payload).as("the raw SIP").isEqualTo(o.payload);
                if (o.correlationId == null) {
                    assertThat(DocumentIds.of(p)).as("nothing the id hashes is lost").isEqualTo(original.id);
                }

                new Parsing().parse(m);
                assertThat(m.id).as("it keeps its document's id").isEqualTo(original.id);
                assertThat(m.parseError).isEqualTo(original.parseError);
                assertThat(stripIngested(writer.write(m))).as("written again it is the same document").isEqualTo(stored);
            }
        }
    }

    @Test
    void whatCannotBeAPacketIsRefused() throws IOException {
        CapturedMessage original = captured().get(0);
        ObjectNode source = (ObjectNode) MAPPER.readTree(new MessageDocumentWriter().write(original));
        ObjectNode hit = MAPPER.createObjectNode().put("_id", original.id);

        hit.set("_source", source.deepCopy());
        ((ObjectNode) hit.path("_source").path("event")).remove("original");
        assertThat(StoredTail.rebuild(hit)).as("no raw SIP (storeRawSip: false)").isNull();

        hit.set("_source", source.deepCopy());
        ((ObjectNode) hit.path("_source").path("source")).put("ip", "not-an-address");
        assertThat(StoredTail.rebuild(hit)).as("no address").isNull();

        hit.set("_source", source.deepCopy());
        ((ObjectNode) hit.path("_source").path("destination")).put("ip", "::1");
        assertThat(StoredTail.rebuild(hit)).as("addresses of two families").isNull();

        hit.set("_source", source.deepCopy());
        ((ObjectNode) hit.path("_source")).remove("@timestamp");
        assertThat(StoredTail.rebuild(hit)).as("no capture time").isNull();

        hit.set("_source", source.deepCopy());
        hit.remove("_id");
        assertThat(StoredTail.rebuild(hit)).as("no document id").isNull();
    }

    /** {@code event.ingested} (full documents) is the wall clock of the write. */
    private static String stripIngested(byte[] document) throws IOException {
        JsonNode doc = MAPPER.readTree(document);
        ((ObjectNode) doc.path("event")).remove("ingested");
        return MAPPER.writeValueAsString(doc);
    }
}
