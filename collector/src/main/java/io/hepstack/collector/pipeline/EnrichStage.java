package io.hepstack.collector.pipeline;

import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipUri;
import io.hepstack.enricher.Enricher;

import java.util.List;

/**
 * Looks up both addresses of every message (GeoIP, AS, blacklists) and, for SIP, analyses the
 * numbers of the Request-URI, From, To and P-Asserted-Identity users (e.164). All lookups are
 * cached in the enricher; a non-numeric user (alice) gets no analysis.
 */
public final class EnrichStage implements Stage {

    private final Enricher enricher;

    public EnrichStage(Enricher enricher) {
        this.enricher = enricher;
    }

    @Override
    public void process(List<CapturedMessage> batch) {
        for (CapturedMessage m : batch) {
            if (m.hep.srcIp != null) {
                m.sourceInfo = enricher.ip(m.hep.srcIp);
            }
            if (m.hep.dstIp != null) {
                m.destinationInfo = enricher.ip(m.hep.dstIp);
            }
            SipMessage s = m.sip;
            if (s != null) {
                if (s.isRequest()) {
                    m.numbers[CapturedMessage.Party.REQUEST_URI.ordinal()] = number(s.requestUri());
                }
                m.numbers[CapturedMessage.Party.FROM.ordinal()] = number(s.from());
                m.numbers[CapturedMessage.Party.TO.ordinal()] = number(s.to());
                m.numbers[CapturedMessage.Party.PAI.ordinal()] = number(s.pAssertedIdentity());
            }
        }
    }

    private io.hepstack.enricher.number.NumberInfo number(NameAddress na) {
        return na == null ? null : number(na.uri());
    }

    private io.hepstack.enricher.number.NumberInfo number(SipUri uri) {
        if (uri == null) {
            return null;
        }
        if (uri.isTel()) {
            return enricher.number(uri.raw());
        }
        String user = uri.user();
        return user == null || user.isEmpty() ? null : enricher.number(user);
    }
}
