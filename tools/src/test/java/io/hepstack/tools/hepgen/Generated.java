package io.hepstack.tools.hepgen;

import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipParseException;
import io.hepstack.collector.protocol.sip.SipParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A finite run of the model, materialised for tests, with the SIP parsed by the product's parser. */
final class Generated {

    /** One packet with its encoded bytes and, for SIP, the parsed message. */
    record Item(TrafficPacket packet, byte[] wire, SipMessage sip) {
        long time() {
            return packet.hep().timestampMicros();
        }

        String text() {
            return new String(packet.hep().payload, StandardCharsets.UTF_8);
        }
    }

    final List<Item> items = new ArrayList<>();

    Generated(TrafficConfig config) {
        this(new HepTrafficModel(config), Long.MAX_VALUE);
    }

    Generated(HepTrafficModel model, long max) {
        HepEncoder encoder = new HepEncoder();
        SipParser parser = new SipParser();
        while (model.hasNext() && items.size() < max) {
            TrafficPacket p = model.next();
            SipMessage sip = null;
            if (p.hep().protoType == 1) {
                try {
                    sip = parser.parse(p.hep().payload);
                } catch (SipParseException e) {
                    throw new AssertionError("unparsable SIP: " + e.getMessage() + "\n" + new String(p.hep().payload,
                            StandardCharsets.UTF_8), e);
                }
            }
            items.add(new Item(p, encoder.encode(p.hep()), sip));
        }
    }

    /** SIP messages grouped by Call-ID, in time order. */
    Map<String, List<Item>> dialogs() {
        Map<String, List<Item>> m = new LinkedHashMap<>();
        for (Item i : items) {
            if (i.sip() != null) {
                m.computeIfAbsent(i.sip().callId(), k -> new ArrayList<>()).add(i);
            }
        }
        return m;
    }

    /** Non-SIP packets (RTCP, LOG) grouped by HEP correlation id. */
    Map<String, List<Item>> correlated(int hepType) {
        Map<String, List<Item>> m = new LinkedHashMap<>();
        for (Item i : items) {
            if (i.packet().hep().protoType == hepType) {
                m.computeIfAbsent(i.packet().hep().correlationId, k -> new ArrayList<>()).add(i);
            }
        }
        return m;
    }
}
