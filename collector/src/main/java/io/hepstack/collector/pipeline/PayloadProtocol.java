package io.hepstack.collector.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.collector.document.MessageFields;
import io.hepstack.collector.hep.HepPacket;

import java.io.IOException;

/**
 * One kind of HEP payload, whole: which packets it takes, how it parses them, which fields its
 * documents get, where they are indexed and how the correlator places them. Adding a protocol is
 * one class implementing this plus its index template (index-templates/component/hep-FAMILY.json)
 * and one registration line in {@code parse/Protocols}; see docs/adding-a-protocol.md.
 *
 * <p>Implementations are stateless or confined to the pipeline worker (one instance per pipeline);
 * {@link #parse} and {@link #write} run on the worker thread.
 *
 * @param <T> what {@link #parse} returns (kept on {@link CapturedMessage#parsed})
 */
public interface PayloadProtocol<T> {

    /** {@code event.dataset} is {@code hep.<dataset>}; parse metrics are {@code parse.<dataset>.ok|failed}. */
    String dataset();

    /**
     * Index family: documents go to {@code hep-<family>-YYYY.MM.DD}, whose index template is
     * {@code hep-<family>} composed of {@code hep-settings}, {@code hep-base} and the component
     * {@code hep-<family>} (index-templates/component/hep-FAMILY.json).
     */
    String family();

    /** The HEP protocol types (chunk 0x0b) this protocol is asked about; empty = any type (a fallback). */
    int[] protoTypes();

    /**
     * Whether this protocol takes the packet. Protocols are asked in registration order among those
     * naming the packet's type, then the fallbacks; the first that says yes parses it. The default
     * takes every packet of its types; a protocol that shares a type with another (a SIP body type,
     * say) looks at the payload's first bytes.
     */
    default boolean accepts(HepPacket packet) {
        return true;
    }

    /**
     * Prepares the payload in place before the message gets its document id (the identify stage,
     * before the reorder window): SIP masks its credentials here, so the id, the stored document and
     * everything after see only the masked text. Must not allocate per message and must be idempotent;
     * by default nothing.
     */
    default void prepare(HepPacket packet) {
    }

    /**
     * Parses the payload, {@link #prepare prepared}. Throws {@link ParseFailure} (with an {@code error.type}) when it cannot; the
     * message is then still indexed, with {@code event.outcome: failure} and the raw payload. May
     * return null for a payload it keeps only as raw text.
     */
    T parse(HepPacket packet) throws ParseFailure;

    /** {@code event.action} of a parsed message (e.g. the SIP method or status), or null. */
    default String action(T parsed) {
        return null;
    }

    /** Whether the raw payload goes into {@code event.original}. */
    default boolean keepsOriginal() {
        return false;
    }

    /**
     * Whether this message's raw payload goes into {@code event.original}: by default
     * {@link #keepsOriginal()}; a protocol that writes only part of the payload as {@code message}
     * (a parsed log line) keeps the whole line this way. {@code parsed} is null when unparsed.
     */
    default boolean keepsOriginal(T parsed) {
        return keepsOriginal();
    }

    /**
     * Writes this protocol's own fields into the message's document, after the common ones
     * ({@code @timestamp}, {@code event}, {@code network}, {@code source}, {@code destination},
     * {@code hep}) that the index stage writes for every message. {@code parsed} is null when the
     * payload did not parse.
     */
    void write(T parsed, CapturedMessage m, JsonGenerator g) throws IOException;

    /**
     * {@link #write(Object, CapturedMessage, JsonGenerator)} with the configured field set: a protocol
     * whose documents have a lean form (SIP, RTCP, logs) overrides this; the others write the same
     * fields in both.
     */
    default void write(T parsed, CapturedMessage m, JsonGenerator g, MessageFields fields) throws IOException {
        write(parsed, m, g);
    }

    /**
     * {@link #keepsOriginal(Object)} with the configured field set: a lean log document keeps the
     * parsed line's parts, not the line a second time.
     */
    default boolean keepsOriginal(T parsed, MessageFields fields) {
        return keepsOriginal(parsed);
    }

    /**
     * Whether {@link #write} writes {@code call.id} (the call the message was placed in, else its HEP
     * correlation id): a lean document then leaves out {@code hep.correlation_id} when it is the same.
     */
    default boolean writesCallId() {
        return false;
    }

    /** What the correlator does with this protocol's messages. */
    default CorrelationRole role() {
        return CorrelationRole.LOG;
    }

    /**
     * The call a message names, for the correlator ({@link CorrelationRole#MEDIA_REPORT} and
     * {@link CorrelationRole#LOG}): a Call-ID or the HEP correlation id (the default); null or empty
     * for none. A media report is also placed by its addresses and SSRCs when this finds no call.
     */
    default String correlationKey(T parsed, HepPacket packet) {
        return packet.correlationId;
    }

    /**
     * For {@link CorrelationRole#MEDIA_REPORT}: the quality report the correlator feeds to the call's
     * media leg (an {@code RtcpReport} or a {@code QosReport}), or null.
     */
    default Object mediaReport(T parsed) {
        return null;
    }

    /** The message's parsed payload as this protocol's type (no check beyond the cast). */
    @SuppressWarnings("unchecked")
    default T parsedOf(CapturedMessage m) {
        return (T) m.parsed;
    }
}
