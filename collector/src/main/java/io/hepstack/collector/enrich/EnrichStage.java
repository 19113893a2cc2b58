package io.hepstack.collector.enrich;

import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipUri;
import io.hepstack.enricher.Enricher;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.StageContext;


/**
 * Looks up both addresses of every message (GeoIP, AS, blacklists) and, for SIP, analyses the
 * numbers of the Request-URI, From, To and P-Asserted-Identity users (e.164). All lookups are
 * cached in the enricher; a non-numeric user (alice) gets no analysis. This is the only place that
 * enriches: the correlator and the TDRs take what it put on the message.
 */
public final class EnrichStage implements Stage {

    private final Enricher enricher;

    public EnrichStage(StageContext context, Enricher enricher) {
        this.enricher = enricher;
    }

    @Override
    public void process(Batch batch) {
        for (CapturedMessage m : batch.messages()) {
            if (m.hep.srcIp != null) {
                m.sourceInfo = enricher.ip(m.hep.srcIp);
            }
            if (m.hep.dstIp != null) {
                m.destinationInfo = enricher.ip(m.hep.dstIp);
            }
            if (m.parsed instanceof SipMessage s) {
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
