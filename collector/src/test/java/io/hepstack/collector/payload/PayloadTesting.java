package io.hepstack.collector.payload;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.pipeline.Transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Shared by the payload protocol tests: real HEP3 bytes, a protocol's document, its component template. */
final class PayloadTesting {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private PayloadTesting() {
    }

    /**
     * {@code payload} in a HEP3 packet of type {@code protoType} (IPv4/UDP, capture id 2001), encoded with
     * the project's encoder and decoded back with its decoder: what a listener hands the pipeline.
     */
    static HepPacket viaHep(int protoType, byte[] payload, byte[] src, int srcPort, byte[] dst, int dstPort) {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = src.length == 4 ? HepPacket.AF_INET : HepPacket.AF_INET6;
        p.ipProtocol = 17;
        p.srcIp = src;
        p.dstIp = dst;
        p.srcPort = srcPort;
        p.dstPort = dstPort;
        p.timeSeconds = 1_767_225_600L;
        p.timeMicros = 250_000;
        p.protoType = protoType;
        p.captureId = 2001;
        p.nodeName = "heplify-01";
        p.payload = payload;
        byte[] wire = new HepEncoder().encode(p);
        return new HepDecoder().decode(wire, 0, wire.length);
    }

    static HepPacket viaHep(int protoType, byte[] payload) {
        return viaHep(protoType, payload, new byte[] {(byte) 192, 0, 2, 53}, 53, new byte[] {(byte) 192, 0, 2, 10}, 40000);
    }

    /** What {@code protocol.write} adds to a document, parsed back. */
    static <T> JsonNode document(PayloadProtocol<T> protocol, T parsed, HepPacket packet) {
        try {
            // a UTF-8 generator with a codec, as the index stage's (JsonDocument): writeUTF8String, writeTree
            ByteArrayOutputStream w = new ByteArrayOutputStream();
            try (JsonGenerator g = MAPPER.getFactory().createGenerator(w)) {
                g.writeStartObject();
                protocol.write(parsed, new CapturedMessage(packet, Transport.UDP, null), g);
                g.writeEndObject();
            }
            return MAPPER.readTree(w.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = PayloadTesting.class.getResourceAsStream("/payload/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource payload/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resourceText(String name) {
        return new String(resource(name), StandardCharsets.UTF_8);
    }

    /**
     * The mapping of one component template (index-templates/component/NAME.json): dotted path → type,
     * with a check that every leaf of a document is mapped and has a value its type accepts.
     */
    static final class ComponentFields {

        private final Map<String, String> types = new HashMap<>();
        final JsonNode template;

        private ComponentFields(JsonNode template) {
            this.template = template;
            collect("", template.path("template").path("mappings").path("properties"));
        }

        static ComponentFields of(String component) {
            try {
                return new ComponentFields(MAPPER.readTree(
                        Path.of("../index-templates/component/" + component + ".json").toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void collect(String prefix, JsonNode properties) {
            Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = prefix + e.getKey();
                if (e.getValue().has("properties")) {
                    types.put(path, "object");
                    collect(path + ".", e.getValue().path("properties"));
                } else {
                    types.put(path, e.getValue().path("type").asText("object"));
                }
            }
        }

        String type(String path) {
            return types.get(path);
        }

        /** Every mapped leaf path. */
        List<String> leaves() {
            List<String> out = new ArrayList<>();
            types.forEach((k, v) -> {
                if (!"object".equals(v)) {
                    out.add(k);
                }
            });
            return out;
        }

        /** "path: problem" for each leaf of {@code doc} that is unmapped or whose value the mapped type refuses. */
        List<String> problems(JsonNode doc) {
            List<String> out = new ArrayList<>();
            walk("", doc, out);
            return out;
        }

        private void walk(String path, JsonNode node, List<String> out) {
            if (node.isArray()) {
                for (JsonNode n : node) {
                    walk(path, n, out);
                }
                return;
            }
            String t = types.get(path);
            if (node.isObject()) {
                if (!path.isEmpty() && !"object".equals(t)) {
                    out.add(path + ": object, mapped as " + t);
                    return;
                }
                node.fields().forEachRemaining(e -> walk(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out));
                return;
            }
            if (t == null) {
                out.add(path + ": not mapped");
                return;
            }
            boolean ok = switch (t) {
                case "keyword" -> node.isTextual();
                case "long", "integer", "short" -> node.isIntegralNumber();
                case "float", "double" -> node.isNumber();
                case "boolean" -> node.isBoolean();
                case "ip" -> node.isTextual() && DnsProtocol.ipLiteral(node.asText()) != null;
                case "date" -> node.isTextual() && parses(node.asText());
                default -> false;
            };
            if (!ok) {
                out.add(path + ": " + node + " does not fit " + t);
            }
        }

        private static boolean parses(String s) {
            try {
                Instant.parse(s);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }
}
