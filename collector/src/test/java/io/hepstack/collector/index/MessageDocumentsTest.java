package io.hepstack.collector.index;

import io.hepstack.collector.api.search.Tier;
import io.hepstack.collector.enrich.EnrichStage;
import io.hepstack.collector.security.DataScope;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.StageContext;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.testing.HepPackets;
import io.hepstack.collector.testing.Parsing;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.document.LeanDefaults;
import io.hepstack.collector.document.MessageFields;
import io.hepstack.collector.document.RawText;
import io.hepstack.collector.document.StoredPackets;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.testing.TemplateFields;
import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.EnricherConfig;
import io.hepstack.enricher.blacklist.BlacklistListConfig;
import io.hepstack.enricher.rating.RateTableConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents of real traffic through the real stages (parse, enrich with the sample data, write):
 * every field a document carries is mapped explicitly in index-templates/, and malformed payloads
 * are still documents, marked as failures.
 */
class MessageDocumentsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Enricher enricher;

    @BeforeAll
    static void enricher() throws Exception {
        EnricherConfig c = new EnricherConfig();
        c.geoip.cityDatabase = "../samples/geoip/GeoIP2-City-Test.mmdb";
        c.geoip.asnDatabase = "../samples/geoip/GeoLite2-ASN-Test.mmdb";
        RateTableConfig t = new RateTableConfig();
        t.name = "retail";
        t.file = "../samples/rates/astpp-origination-rates.csv";
        t.format = "astpp";
        c.rating.tables.add(t);
        for (String f : List.of("firehol-voipbl-sample.netset", "blocklist_de-sip.txt")) {
            BlacklistListConfig l = new BlacklistListConfig();
            l.name = f;
            l.file = "../samples/blacklist/" + f;
            c.blacklists.lists.add(l);
        }
        enricher = Enricher.build(c);
    }

    @AfterAll
    static void close() {
        enricher.close();
    }

    private static List<CapturedMessage> run(List<HepPacket> packets) {
        return run(packets, Transport.UDP);
    }

    private static List<CapturedMessage> run(List<HepPacket> packets, Transport transport) {
        Parsing parse = new Parsing();
        EnrichStage enrich = new EnrichStage(new StageContext("enrich", new MetricRegistry()), enricher);
        List<CapturedMessage> batch = new ArrayList<>();
        for (HepPacket p : packets) {
            batch.add(new CapturedMessage(p, transport, null));
        }
        parse.parse(batch);
        enrich.process(new Batch(batch));
        return batch;
    }

    private static List<HepPacket> hepCaptures() throws Exception {
        List<HepPacket> out = new ArrayList<>();
        HepDecoder decoder = new HepDecoder();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("../testdata/hep"), "*.pcap")) {
            for (Path f : files) {
                for (PcapPacket p : PcapReader.read(f)) {
                    if (p.isUdp()) {
                        out.add(decoder.decode(p.payload(), 0, p.payload().length));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyFieldOfEveryDocumentIsMappedExplicitly() throws Exception {
        Map<String, Integer> unmapped = new TreeMap<>();
        Map<String, Integer> families = new TreeMap<>();
        for (MessageFields fields : MessageFields.values()) {
            MessageDocumentWriter writer = new MessageDocumentWriter(fields);
            for (CapturedMessage m : run(hepCaptures())) {
                JsonNode doc = MAPPER.readTree(writer.write(m));
                families.merge(m.protocol.family(), 1, Integer::sum);
                for (String path : TemplateFields.of(m.protocol.family()).unmapped(doc)) {
                    unmapped.merge(fields + " " + m.protocol.family() + ":" + path, 1, Integer::sum);
                }
            }
        }
        assertThat(families).containsKeys("sip", "log", "rtcp");
        // the check itself can fail: an unknown field anywhere is reported with its path
        assertThat(TemplateFields.of("sip").unmapped(MAPPER.readTree(
                "{\"sip\":{\"method\":\"INVITE\",\"bogus\":1,\"from\":{\"nested\":{\"x\":1}}},\"source\":{\"geo\":{\"location\":{\"lat\":1,\"lon\":2}}}}")))
                .containsExactlyInAnyOrder("sip.bogus", "sip.from.nested");
        assertThat(unmapped).as("fields written but not mapped in index-templates/").isEmpty();
    }

    /**
     * The fields searches, scopes, dashboards, watches and views read on message documents
     * (docs/documents.md): a lean document has each of them whenever the full one does, with the
     * same value.
     */
    private static final List<String> QUERIED = List.of("@timestamp", "event.dataset",
            "error.type", "source.ip", "source.port", "destination.ip", "destination.port",
            "source.geo.country_iso_code", "destination.geo.country_iso_code", "source.blacklist.hit",
            "source.blacklist.lists", "destination.blacklist.hit", "destination.blacklist.lists",
            "hep.capture_id", "hep.node", "hep.group", "call.id",
            "sip.method", "sip.code", "sip.call_id", "sip.cseq.code",
            "sip.uri.original", "sip.uri.username", "sip.uri.host", "sip.from.uri.username", "sip.from.uri.host",
            "sip.to.uri.username", "sip.to.uri.host", "sip.user_agent.original", "sip.server.original",
            "message", "log.level", "host.name", "process.name", "qos.mos", "qos.jitter_ms", "qos.loss_pct",
            "rtcp.ssrc", "rtcp.sender.ntp_timestamp", "rtcp.report.jitter");

    /** Per-call enrichment and fields no query reads: on full documents only. */
    private static final List<String> FULL_ONLY = List.of("event.kind", "event.ingested", "event.action", "network.protocol",
            "source.geo.city_name", "source.geo.location", "source.as", "source.ip_scope", "destination.geo.timezone",
            "destination.as", "blacklist", "hep.version", "hep.proto_name", "hep.peer", "hep.payload_size",
            "sip.type", "sip.version", "sip.from.display_info", "sip.from.uri.original", "sip.from.number.type", "sip.to.number.description",
            "sip.contact", "sip.sdp", "sip.via", "sip.allow", "sip.content_length", "sip.from.tag",
            "sip.from.number.country_code", "sip.to.number.country_code", "sip.to.number.region_code");

    /** The distinct values of {@code fields} in a document. */
    private static java.util.Set<String> values(JsonNode doc, List<String> fields) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String f : fields) {
            JsonNode v = doc.at("/" + f.replace('.', '/'));
            if (!v.isMissingNode()) {
                out.add(v.asText());
            }
        }
        return out;
    }

    @Test
    void leanDocumentsKeepWhatQueriesReadAndLeaveThePerCallEnrichmentToTheTdr() throws Exception {
        MessageDocumentWriter lean = new MessageDocumentWriter(MessageFields.LEAN);
        MessageDocumentWriter full = new MessageDocumentWriter(MessageFields.FULL);
        Map<String, Integer> seen = new TreeMap<>();
        long leanBytes = 0;
        long fullBytes = 0;
        List<HepPacket> packets = new ArrayList<>(hepCaptures());
        packets.add(HepPackets.sip("INVITE sip:00442079460123@sbc.example.net SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-n\r\n"
                + "From: <sip:+44-20-7183-8750@sbc.example.net>;tag=1\r\nTo: <sip:00442079460123@sbc.example.net>\r\n"
                + "Call-ID: numbers-as-written@192.0.2.10\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"));
        for (CapturedMessage m : run(packets)) {
            byte[] l = lean.write(m);
            byte[] f = full.write(m);
            leanBytes += l.length;
            fullBytes += f.length;
            JsonNode ld = MAPPER.readTree(l);
            JsonNode fd = MAPPER.readTree(f);
            for (String field : QUERIED) {
                JsonNode fv = fd.at("/" + field.replace('.', '/'));
                if (!fv.isMissingNode()) {
                    seen.merge(field, 1, Integer::sum);
                    assertThat(ld.at("/" + field.replace('.', '/'))).as("%s of %s", field, ld).isEqualTo(fv);
                }
            }
            for (String field : FULL_ONLY) {
                assertThat(ld.at("/" + field.replace('.', '/')).isMissingNode()).as("%s of %s", field, ld).isTrue();
                if (!fd.at("/" + field.replace('.', '/')).isMissingNode()) {
                    seen.merge("full:" + field, 1, Integer::sum);
                }
            }
            if ("hep.sip".equals(fd.at("/event/dataset").asText())) { // the raw SIP: the message view, the PCAP export
                String captured = fd.at("/event/original").asText();
                assertThat(RawText.original(ld)).isNotEmpty().isEqualTo(captured).isEqualTo(RawText.original(fd));
                if (m.parseError == null) { // SIP of these captures ends its lines with CRLF: stored without the CRs
                    assertThat(ld.at("/event/original").asText()).as(captured).isEqualTo(captured.replace("\r\n", "\n"));
                    assertThat(ld.at("/hep/raw_as_captured").isMissingNode()).isTrue();
                    seen.merge("sip event.original", 1, Integer::sum);
                }
            }
            for (String party : List.of("from", "to", "pai")) {
                String number = fd.at("/sip/" + party + "/number/e164").asText(null);
                if (number != null) { // the analysis beyond the number is the TDR's
                    // the e.164 number only when it is not the URI's user as written (number searches and scopes look in both)
                    boolean asWritten = number.equals(ld.at("/sip/" + party + "/uri/username").asText(null));
                    boolean twin = !"to".equals(party) && !"from".equals(party) && ld.at("/sip/" + party + "/number").isMissingNode()
                            && number.equals(fd.at("/sip/from/number/e164").asText()); // lean: the PAI's number once, as the From's
                    if (!twin) {
                        assertThat(ld.at("/sip/" + party + "/number/e164").isMissingNode()).as("%s of %s", party, ld).isEqualTo(asWritten);
                        assertThat(ld.at("/sip/" + party + "/number").size()).as("%s of %s", party, ld).isEqualTo(asWritten ? 0 : 1);
                        seen.merge(asWritten ? "e164 as written" : "e164 not as written", 1, Integer::sum);
                    }
                }
            }
            // every number search and scope (term and prefix queries) finds a lean document by the same values
            for (List<String> numberFields : List.of(Tier.MESSAGES.callerFields(), Tier.MESSAGES.calleeFields(),
                    DataScope.Target.MESSAGES.numberFields())) {
                assertThat(values(ld, numberFields)).as("%s of %s", numberFields, ld).isEqualTo(values(fd, numberFields));
            }
        }
        // the captures exercise both sides: enriched, blacklisted, numbered, SIP, RTCP and logs
        assertThat(seen).containsKeys("source.geo.country_iso_code", "source.blacklist.lists", "e164 as written", "e164 not as written",
                "sip event.original", "message", "rtcp.ssrc", "full:source.geo.city_name", "full:source.as",
                "full:sip.from.number.type", "full:sip.sdp", "full:blacklist");
        assertThat(leanBytes).as("lean bytes against full bytes").isLessThan(fullBytes * 2 / 3);
    }

    /**
     * What a lean document leaves out because it is the usual value ({@code event.outcome} of a
     * success, {@code hep.proto_type} of the dataset's type, {@code hep.transport} and {@code network.transport}
     * udp, {@code sip.type}) the readers
     * of stored documents ({@link LeanDefaults}, {@link StoredPackets}: the message view, the PCAP
     * export, the restart's replay) get back from the lean document as the full one says it.
     */
    @Test
    void leanDocumentsLeaveOutTheUsualValuesAndTheirReadersGetThemBack() throws Exception {
        MessageDocumentWriter lean = new MessageDocumentWriter(MessageFields.LEAN);
        MessageDocumentWriter full = new MessageDocumentWriter(MessageFields.FULL);
        Map<String, Integer> seen = new TreeMap<>();
        List<HepPacket> packets = hepCaptures();
        for (Transport transport : List.of(Transport.UDP, Transport.TCP, Transport.FILE)) {
            for (CapturedMessage m : run(packets, transport)) {
                JsonNode ld = MAPPER.readTree(lean.write(m));
                JsonNode fd = MAPPER.readTree(full.write(m));
                String what = transport + " " + ld;
                String dataset = fd.at("/event/dataset").asText();
                assertThat(fd.at("/event/kind").asText()).isEqualTo("event");
                assertThat(fd.at("/event/outcome").asText()).isIn("success", "failure");
                // event.outcome: failures only; NOT event.outcome:failure finds the rest
                assertThat(ld.at("/event/outcome").isMissingNode()).as(what).isEqualTo(m.parseError == null);
                if (m.parseError != null) {
                    assertThat(ld.at("/event/outcome").asText()).as(what).isEqualTo("failure");
                    seen.merge("failure", 1, Integer::sum);
                }
                // hep.proto_type: only when not the dataset's usual type
                int type = fd.at("/hep/proto_type").asInt();
                assertThat(ld.at("/hep/proto_type").isMissingNode()).as(what).isEqualTo(type == LeanDefaults.usualProtoType(dataset));
                assertThat(LeanDefaults.protoType(ld)).as(what).isEqualTo(type);
                seen.merge(dataset + (ld.at("/hep/proto_type").isMissingNode() ? " type left out" : " type " + type), 1, Integer::sum);
                // hep.transport: only when not udp
                assertThat(ld.at("/hep/transport").isMissingNode()).as(what).isEqualTo(transport == Transport.UDP);
                assertThat(LeanDefaults.receivedOver(ld)).as(what).isEqualTo(fd.at("/hep/transport").asText()).isEqualTo(transport.label());
                // network.transport: only when not udp; sip.type: never (a request has a method, a response a code)
                String ipTransport = fd.at("/network/transport").asText("udp");
                assertThat(ld.at("/network/transport").isMissingNode()).as(what).isEqualTo("udp".equals(ipTransport));
                assertThat(LeanDefaults.networkTransport(ld)).as(what).isEqualTo(ipTransport);
                seen.merge("network " + ipTransport, 1, Integer::sum);
                if (fd.has("sip")) {
                    assertThat(ld.at("/sip/type").isMissingNode()).as(what).isTrue();
                    assertThat(LeanDefaults.sipType(ld.path("sip"))).as(what).isEqualTo(fd.at("/sip/type").asText());
                    seen.merge("sip " + fd.at("/sip/type").asText(), 1, Integer::sum);
                    usualSipValues(ld, fd, what, seen);
                }
                if (fd.has("rtcp")) { // rtcp.format only when not json, qos.mos_source only when not computed
                    String format = fd.at("/rtcp/format").asText();
                    assertThat(ld.at("/rtcp/format").isMissingNode()).as(what).isEqualTo("json".equals(format));
                    assertThat(LeanDefaults.rtcpFormat(ld)).as(what).isEqualTo(format);
                    String mosSource = fd.at("/qos/mos_source").asText(null);
                    assertThat(ld.at("/qos/mos_source").isMissingNode()).as(what).isEqualTo(mosSource == null || "computed".equals(mosSource));
                    assertThat(LeanDefaults.mosSource(ld)).as(what).isEqualTo(mosSource);
                    seen.merge("rtcp " + format + " " + mosSource, 1, Integer::sum);
                }
                if (fd.has("message")) { // payload.format only when not text (logs)
                    String format = fd.at("/payload/format").asText(null);
                    boolean leftOut = "text".equals(format) && "hep.log".equals(dataset);
                    assertThat(ld.at("/payload/format").asText(null)).as(what).isEqualTo(leftOut ? null : format);
                    if ("hep.log".equals(dataset)) {
                        assertThat(LeanDefaults.payloadFormat(ld)).as(what).isEqualTo(format);
                    }
                    seen.merge(dataset + " payload " + format, 1, Integer::sum);
                }
                // the packet the PCAP export and the replay rebuild
                byte[] raw = StoredPackets.sipPayload(fd);
                HepPacket fp = StoredPackets.packet(fd, raw);
                if (fp != null) {
                    HepPacket lp = StoredPackets.packet(ld, StoredPackets.sipPayload(ld));
                    assertThat(lp.protoType).as(what).isEqualTo(fp.protoType).isEqualTo(m.hep.protoType);
                    assertThat(lp.ipProtocol).as(what).isEqualTo(fp.ipProtocol);
                    seen.merge("packet " + dataset, 1, Integer::sum);
                }
            }
        }
        assertThat(seen).containsKeys("hep.sip type left out", "hep.rtcp type left out", "hep.log type left out",
                "packet hep.sip", "packet hep.rtcp", "network udp", "sip request", "sip response", "status left out",
                "content type from the raw text", "rtcp json computed", "hep.log payload text");
    }

    /**
     * A lean SIP document's reason phrase when it is its code's registered one, a request's CSeq
     * method, the Content-Type (the raw text has it), a P-Asserted-Identity that is the From's URI:
     * left out, and read back by LeanDefaults (the message view, the ladder, result summaries).
     */
    private static void usualSipValues(JsonNode ld, JsonNode fd, String what, Map<String, Integer> seen) {
        JsonNode lsip = ld.path("sip");
        JsonNode fsip = fd.path("sip");
        String status = fsip.path("status").asText(null);
        if (status != null) {
            boolean registered = status.equals(io.hepstack.collector.protocol.sip.ReasonPhrases.of(fsip.path("code").asInt()));
            assertThat(lsip.has("status")).as(what).isEqualTo(!registered);
            assertThat(LeanDefaults.status(lsip)).as(what).isEqualTo(status);
            seen.merge(registered ? "status left out" : "status written", 1, Integer::sum);
        }
        String cseqMethod = fsip.path("cseq").path("method").asText(null);
        if (cseqMethod != null) {
            boolean own = cseqMethod.equals(fsip.path("method").asText(null));
            assertThat(lsip.path("cseq").has("method")).as(what).isEqualTo(!own);
            assertThat(LeanDefaults.cseqMethod(lsip)).as(what).isEqualTo(cseqMethod);
        }
        String contentType = fsip.path("content_type").asText(null);
        assertThat(lsip.has("content_type")).as(what).isFalse(); // the raw text is kept
        assertThat(LeanDefaults.contentType(ld)).as(what).isEqualTo(contentType);
        if (contentType != null) {
            seen.merge("content type from the raw text", 1, Integer::sum);
        }
        if (fsip.has("pai")) {
            boolean same = fsip.at("/pai/uri/username").equals(fsip.at("/from/uri/username"))
                    && fsip.at("/pai/uri/host").equals(fsip.at("/from/uri/host"));
            assertThat(lsip.has("pai")).as(what).isEqualTo(!same);
            seen.merge(same ? "pai as the from" : "pai written", 1, Integer::sum);
        }
    }

    /** A dataset with a usual HEP type is one whose protocol takes that type alone (and no other protocol's dataset is it). */
    @Test
    void theUsualTypeOfADatasetIsTheOnlyTypeItsProtocolTakes() {
        Map<String, Integer> usual = new TreeMap<>();
        for (var p : io.hepstack.collector.parse.Protocols.standard(MAPPER, true).all()) {
            int type = LeanDefaults.usualProtoType("hep." + p.dataset());
            if (type >= 0) {
                assertThat(p.protoTypes()).as(p.dataset()).containsExactly(type);
                usual.put(p.dataset(), type);
            }
        }
        assertThat(usual).containsExactlyInAnyOrderEntriesOf(Map.of("sip", 1, "rtcp", 5, "log", 100));
        assertThat(LeanDefaults.usualProtoType("hep.qos_report")).isEqualTo(-1);
    }

    @Test
    void malformedPayloadsAreStillDocumentsMarkedAsFailures() throws Exception {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.protoType = HepPacket.PROTO_SIP;
        p.srcIp = new byte[]{10, 0, 0, 1};
        p.dstIp = new byte[]{10, 0, 0, 2};
        p.srcPort = 5060;
        p.dstPort = 5060;
        p.timeSeconds = 1_700_000_000L;
        p.timeMicros = 123_456;
        p.captureId = 1;
        p.payload = "this is not SIP\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        HepPacket rtcp = new HepPacket();
        rtcp.version = 3;
        rtcp.protoType = HepPacket.PROTO_RTCP_JSON;
        rtcp.timeSeconds = 1_700_000_000L;
        rtcp.timeMicros = 0;
        rtcp.payload = "{\"ssrc\": [".getBytes(StandardCharsets.UTF_8);
        List<CapturedMessage> out = run(List.of(p, rtcp));
        MessageDocumentWriter writer = new MessageDocumentWriter(MessageFields.FULL); // the address scope is on full documents

        JsonNode sip = MAPPER.readTree(writer.write(out.get(0)));
        assertThat(out.get(0).index).isEqualTo("hep-sip-2023.11.14");
        assertThat(sip.path("@timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123456Z");
        assertThat(sip.path("event").path("outcome").asText()).isEqualTo("failure");
        assertThat(sip.path("error").path("type").asText()).isEqualTo("sip_parse");
        assertThat(sip.path("event").path("original").asText()).isEqualTo("this is not SIP\r\n\r\n");
        assertThat(sip.has("sip")).isFalse();
        assertThat(sip.path("source").path("ip_scope").asText()).isEqualTo("private");

        JsonNode leanSip = MAPPER.readTree(new MessageDocumentWriter(MessageFields.LEAN).write(out.get(0)));
        assertThat(leanSip.path("event").path("outcome").asText()).as("lean keeps the failures").isEqualTo("failure");
        assertThat(leanSip.path("error").path("type").asText()).isEqualTo("sip_parse");

        JsonNode bad = MAPPER.readTree(writer.write(out.get(1)));
        assertThat(out.get(1).index).startsWith("hep-rtcp-");
        assertThat(bad.path("event").path("outcome").asText()).isEqualTo("failure");
        assertThat(bad.path("error").path("type").asText()).isEqualTo("rtcp_parse");
        assertThat(bad.path("message").asText()).isEqualTo("{\"ssrc\": [");
    }
}
