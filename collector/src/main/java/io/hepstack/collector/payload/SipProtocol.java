package io.hepstack.collector.payload;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.collector.document.EnrichmentFields;
import io.hepstack.collector.document.MessageFields;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.CorrelationRole;
import io.hepstack.collector.pipeline.ParseFailure;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.Reason;
import io.hepstack.collector.protocol.sip.ReasonPhrases;
import io.hepstack.collector.protocol.sip.Sdp;
import io.hepstack.collector.protocol.sip.SdpCodec;
import io.hepstack.collector.protocol.sip.SdpMedia;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipParseException;
import io.hepstack.collector.protocol.sip.CredentialMask;
import io.hepstack.collector.protocol.sip.SipParser;
import io.hepstack.collector.protocol.sip.SipUri;
import io.hepstack.collector.protocol.sip.Via;
import io.hepstack.enricher.number.NumberInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.hepstack.collector.document.JsonDocument.num;
import static io.hepstack.collector.document.JsonDocument.str;

/**
 * SIP (HEP type 1), with its SDP: the correlator's signalling. Parsing is the hand-written lazy
 * {@link SipParser} (the hot path: most of what a collector sees is SIP); the document has
 * Packetbeat's SIP field names ({@code sip.*}) plus the e.164 analyses of the parties that the
 * enrich stage made, and the raw text in {@code event.original} unless switched off.
 */
public final class SipProtocol implements PayloadProtocol<SipMessage> {

    /** {@code event.action} values made so far, by method: methods are few; a flood of odd ones is not kept. */
    private static final int MAX_ACTIONS = 64;
    private final java.util.HashMap<String, String> actions = new java.util.HashMap<>();

    private final SipParser parser = new SipParser();
    private final EnrichmentFields enrichment = new EnrichmentFields();
    private final boolean keepOriginal;
    private final boolean redactCredentials;

    /** @param keepOriginal keep the raw SIP text in {@code event.original} (the call API shows it) */
    public SipProtocol(boolean keepOriginal) {
        this(keepOriginal, true);
    }

    /**
     * @param keepOriginal      keep the raw SIP text in {@code event.original} (the call API shows it)
     * @param redactCredentials mask the credentials of Authorization / Proxy-Authorization (digest
     *                          response, Basic/Bearer credentials) in the packet before anything reads it
     */
    public SipProtocol(boolean keepOriginal, boolean redactCredentials) {
        this.keepOriginal = keepOriginal;
        this.redactCredentials = redactCredentials;
    }

    @Override
    public String dataset() {
        return "sip";
    }

    @Override
    public String family() {
        return "sip";
    }

    @Override
    public int[] protoTypes() {
        return new int[] {HepPacket.PROTO_SIP};
    }

    /** Masks the credentials in place (when redacting): the document id is that of the masked message. */
    @Override
    public void prepare(HepPacket packet) {
        if (redactCredentials && packet.payload != null) {
            CredentialMask.mask(packet.payload, 0, packet.payload.length);
        }
    }

    @Override
    public SipMessage parse(HepPacket packet) throws ParseFailure {
        byte[] payload = packet.payload == null ? new byte[0] : packet.payload;
        try {
            return parser.parse(payload, 0, payload.length);
        } catch (SipParseException e) {
            throw new ParseFailure("sip_parse", e.getMessage());
        } catch (RuntimeException e) {
            throw new ParseFailure("json_parse", e.getMessage(), e); // as before the registry: any other failure
        }
    }

    /**
     * {@code event.action} as Packetbeat writes it: {@code sip-<method>} in lower case, for a request
     * and for the responses to it (their CSeq method): {@code sip-invite} for an INVITE, its 180 and its 200.
     */
    @Override
    public String action(SipMessage s) {
        if (s == null) {
            return null;
        }
        String method = s.isRequest() ? s.method() : s.cseqMethod();
        if (method == null || method.isEmpty()) {
            return null;
        }
        String a = actions.get(method);
        if (a == null) {
            a = "sip-" + method.toLowerCase(java.util.Locale.ROOT);
            if (actions.size() < MAX_ACTIONS) {
                actions.put(method, a);
            }
        }
        return a;
    }

    @Override
    public boolean keepsOriginal() {
        return keepOriginal;
    }

    @Override
    public CorrelationRole role() {
        return CorrelationRole.SIGNALLING;
    }

    @Override
    public void write(SipMessage s, CapturedMessage m, JsonGenerator g) throws IOException {
        write(s, m, g, MessageFields.FULL);
    }

    /**
     * Lean ({@code pipeline.messageFields: lean}) leaves out what {@code event.original} holds and
     * nothing reads: the version, display names, the From/To/PAI URIs as written and their schemes,
     * ports and parameters, Contact, Content-Length, Max-Forwards, Expires, Allow, Supported, Reason
     * and the SDP (the TDR has the media); the tags and Vias too while the raw text is kept (the
     * call ladder tells copies of a message by it), and the Content-Type (the ladder reads it there);
     * the e.164 analysis shrinks to a number that is not the URI's user as written; a registered
     * reason phrase, a request's CSeq method and a P-Asserted-Identity that is the From's URI are
     * left to readers (LeanDefaults). docs/documents.md lists each field.
     */
    @Override
    public void write(SipMessage s, CapturedMessage m, JsonGenerator g, MessageFields fields) throws IOException {
        if (s == null) {
            return; // unparsed: event.original + error.* carry it
        }
        boolean full = fields.full();
        g.writeObjectFieldStart("sip");
        if (full) { // lean: a request has sip.method, a response sip.code (LeanDefaults.sipType)
            g.writeStringField("type", s.isRequest() ? "request" : "response");
            g.writeStringField("version", "2.0");
        }
        if (s.isRequest()) {
            str(g, "method", s.method());
            SipUri ruri = s.requestUri();
            if (ruri != null) {
                g.writeObjectFieldStart("uri");
                uriFields(g, ruri, ruri.raw(), full); // the whole Request-URI as written, as requestUriRaw() gives
                enrichment.writeNumber(g, leanOnce(fields, m, CapturedMessage.Party.REQUEST_URI, CapturedMessage.Party.TO), fields,
                        ruri.user());
                g.writeEndObject();
            }
        } else {
            g.writeNumberField("code", s.statusCode());
            if (full || !ReasonPhrases.isRegistered(s.statusCode(), s.reasonPhrase())) { // lean: readers take the code's phrase (LeanDefaults.status)
                str(g, "status", s.reasonPhrase());
            }
            // no sip.method on a response (Packetbeat's semantics): the method it answers is sip.cseq.method
        }
        str(g, "call_id", s.callId());
        // lean: the raw text, when kept, has the tags and Vias (the ladder's fingerprint takes them from it)
        boolean identifiers = full || !keepOriginal;
        nameAddress(g, "from", s.from(), m.numbers[CapturedMessage.Party.FROM.ordinal()], fields, identifiers);
        nameAddress(g, "to", s.to(), m.numbers[CapturedMessage.Party.TO.ordinal()], fields, identifiers);
        NameAddress pai = s.pAssertedIdentity();
        if (full || !sameUri(pai, s.from())) { // lean: a P-Asserted-Identity that is the From's URI is said by it
            nameAddress(g, "pai", pai, leanOnce(fields, m, CapturedMessage.Party.PAI, CapturedMessage.Party.FROM),
                    fields, identifiers);
        }
        NameAddress contact = full ? s.contact() : null; // lean: not parsed for the document at all
        if (contact != null) {
            g.writeObjectFieldStart("contact");
            nameAddressFields(g, contact, true, true);
            if (contact.expires() >= 0) {
                g.writeNumberField("expires", contact.expires());
            }
            g.writeEndObject();
        }
        List<Via> vias = identifiers ? s.vias() : List.of();
        if (!vias.isEmpty()) {
            g.writeObjectFieldStart("via");
            g.writeArrayFieldStart("original");
            for (Via v : vias) {
                g.writeString(v.raw());
            }
            g.writeEndArray();
            if (full) {
                writeDistinct(g, "branch", vias, Via::branch);
                writeDistinct(g, "host", vias, Via::host);
                writeDistinct(g, "transport", vias, Via::transport);
                writeDistinct(g, "received", vias, Via::received);
            }
            g.writeEndObject();
        }
        if (s.cseqNumber() >= 0 || s.cseqMethod() != null) {
            g.writeObjectFieldStart("cseq");
            num(g, "code", s.cseqNumber());
            // lean: a request's CSeq names its own method (RFC 3261 8.1.1.5; otherwise a problem is
            // recorded and the method written): readers take sip.method (LeanDefaults.cseqMethod)
            if (full || !s.isRequest() || s.cseqMethod() == null || !s.cseqMethod().equals(s.method())) {
                str(g, "method", s.cseqMethod());
            }
            g.writeEndObject();
        }
        if (s.userAgent() != null) {
            g.writeObjectFieldStart("user_agent");
            g.writeStringField("original", s.userAgent());
            g.writeEndObject();
        }
        if (s.server() != null) {
            g.writeObjectFieldStart("server");
            g.writeStringField("original", s.server());
            g.writeEndObject();
        }
        if (identifiers) { // lean: in the raw text when it is kept (the ladder's SDP marker: LeanDefaults.contentType)
            str(g, "content_type", s.contentType());
        }
        if (full) {
            fullOnly(g, s);
        }
        List<String> problems = s.problems();
        if (!problems.isEmpty()) {
            g.writeArrayFieldStart("problems");
            for (String p : problems) {
                g.writeString(p);
            }
            g.writeEndArray();
        }
        Sdp sdp = full ? s.sdp() : null;
        if (sdp != null) {
            sdp(g, sdp);
        }
        g.writeEndObject();
    }

    /** The headers only a full document has: Content-Length to Supported. */
    private static void fullOnly(JsonGenerator g, SipMessage s) throws IOException {
        num(g, "content_length", s.contentLength());
        num(g, "max_forwards", s.maxForwards());
        num(g, "expires", s.expires());
        Reason reason = s.reason();
        if (reason != null) {
            g.writeObjectFieldStart("reason");
            str(g, "protocol", reason.protocol());
            num(g, "cause", reason.cause());
            str(g, "text", reason.text());
            g.writeEndObject();
        }
        str(g, "allow", s.allow());
        str(g, "supported", s.supported());
    }

    /**
     * The number analysis of {@code party}; lean: none when it is the same e.164 number as that of
     * {@code twin} (the Request-URI of the To, the P-Asserted-Identity of the From): every search
     * and scope looks in both fields.
     */
    private static NumberInfo leanOnce(MessageFields fields, CapturedMessage m, CapturedMessage.Party party,
                                       CapturedMessage.Party twin) {
        NumberInfo n = m.numbers[party.ordinal()];
        if (fields.full() || n == null || n.e164() == null) {
            return n;
        }
        NumberInfo t = m.numbers[twin.ordinal()];
        return t != null && n.e164().equals(t.e164()) ? null : n;
    }

    /** Whether both name the same URI user and host (lean then writes the first once, as the second). */
    private static boolean sameUri(NameAddress a, NameAddress b) {
        return a != null && b != null && a.uri() != null && b.uri() != null
                && java.util.Objects.equals(a.uri().user(), b.uri().user())
                && java.util.Objects.equals(a.uri().host(), b.uri().host());
    }

    /** The non-empty values of one Via field, each once, in order; nothing when there are none. */
    private static void writeDistinct(JsonGenerator g, String name, List<Via> vias, Function<Via, String> field) throws IOException {
        boolean open = false;
        for (int i = 0; i < vias.size(); i++) {
            String v = field.apply(vias.get(i));
            if (v == null || v.isEmpty() || seenBefore(vias, i, v, field)) {
                continue;
            }
            if (!open) {
                g.writeArrayFieldStart(name);
                open = true;
            }
            g.writeString(v);
        }
        if (open) {
            g.writeEndArray();
        }
    }

    private static boolean seenBefore(List<Via> vias, int i, String v, Function<Via, String> field) {
        for (int j = 0; j < i; j++) {
            if (v.equals(field.apply(vias.get(j)))) {
                return true;
            }
        }
        return false;
    }

    private void nameAddress(JsonGenerator g, String field, NameAddress na, NumberInfo number, MessageFields fields,
                             boolean tag) throws IOException {
        if (na == null) {
            return;
        }
        g.writeObjectFieldStart(field);
        nameAddressFields(g, na, fields.full(), tag);
        enrichment.writeNumber(g, number, fields, na.uri() == null ? null : na.uri().user());
        g.writeEndObject();
    }

    /** Lean: the URI's user and host (searches, scopes); full: the display name, the URI as written and its parts. */
    private static void nameAddressFields(JsonGenerator g, NameAddress na, boolean full, boolean tag) throws IOException {
        if (full) {
            str(g, "display_info", na.displayName());
        }
        if (na.uri() != null) {
            g.writeObjectFieldStart("uri");
            if (full) {
                uriFields(g, na.uri(), na.uri().raw(), true);
            } else {
                str(g, "username", na.uri().user());
                str(g, "host", na.uri().host());
            }
            g.writeEndObject();
        }
        if (tag) {
            str(g, "tag", na.tag());
        }
    }

    /**
     * Lean: the URI as written (the message's summary and free-text search), its user and host
     * (searches, scopes); full: its parts too.
     */
    private static void uriFields(JsonGenerator g, SipUri u, String raw, boolean full) throws IOException {
        str(g, "original", raw);
        if (full) {
            str(g, "scheme", u.scheme());
        }
        str(g, "username", u.user());
        str(g, "host", u.host());
        if (full) {
            num(g, "port", u.port());
            str(g, "user_param", u.param("user"));
            str(g, "transport", u.param("transport"));
        }
    }

    private static void sdp(JsonGenerator g, Sdp sdp) throws IOException {
        g.writeObjectFieldStart("sdp");
        num(g, "version", sdp.version());
        if (sdp.originUsername() != null || sdp.originAddress() != null) {
            g.writeObjectFieldStart("owner");
            str(g, "username", sdp.originUsername());
            str(g, "session_id", sdp.originSessionId());
            str(g, "version", sdp.originSessionVersion());
            str(g, "ip", sdp.originAddress());
            g.writeEndObject();
        }
        if (sdp.sessionName() != null) {
            g.writeObjectFieldStart("session");
            g.writeStringField("name", sdp.sessionName());
            g.writeEndObject();
        }
        if (sdp.connectionAddress() != null) {
            g.writeObjectFieldStart("connection");
            g.writeStringField("address", sdp.connectionAddress());
            g.writeEndObject();
        }
        List<String> codecs = null; // distinct, in order (a handful: a list beats a set)
        if (!sdp.media().isEmpty()) {
            g.writeArrayFieldStart("media");
            for (SdpMedia md : sdp.media()) {
                g.writeStartObject();
                str(g, "type", md.type());
                num(g, "port", md.port());
                str(g, "protocol", md.protocol());
                if (!md.formats().isEmpty()) {
                    g.writeArrayFieldStart("formats");
                    for (String f : md.formats()) {
                        g.writeString(f);
                    }
                    g.writeEndArray();
                }
                str(g, "address", md.connectionAddress());
                str(g, "direction", md.direction());
                g.writeEndObject();
                for (SdpCodec c : md.codecs()) {
                    String name = c.encodingName() + (c.clockRate() > 0 ? "/" + c.clockRate() : "");
                    if (codecs == null) {
                        codecs = new ArrayList<>(4);
                    }
                    if (!codecs.contains(name)) {
                        codecs.add(name);
                    }
                }
            }
            g.writeEndArray();
        }
        if (codecs != null) {
            g.writeArrayFieldStart("codecs");
            for (String c : codecs) {
                g.writeString(c);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

}
