package io.hepstack.collector.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.collector.document.MessageFields;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.number.NumberInfo;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One HEP packet on its way through the pipeline, with what each stage learned about it. Stages
 * run on the pipeline's worker thread, one after the other; a stage only fills its own fields.
 * What a protocol parsed is {@link #parsed}, typed by {@link #protocol}; there is no field per
 * protocol.
 */
public final class CapturedMessage {

    // --- set by the listener
    public final HepPacket hep;
    public final Transport transport;
    /** The HEP sender (capture agent), when known. */
    public final InetSocketAddress peer;

    /**
     * The id of this message's document when that document is in Elasticsearch already: a restart
     * replays what the previous run stored but had not yet made TDRs of (es/StoredTail). Such a
     * message keeps this id ({@link #id}), its HEP time as its state time (the capture clock leaves
     * it alone: an old time must not teach the clock an agent's offset), and is not indexed again.
     * Null for a message captured now.
     */
    public String storedId;

    /**
     * The write-ahead segment this message was read from ({@link SpillQueue}), {@link #NOT_JOURNALED}
     * for one that was not: the segment is deleted only once no stage holds a message from it and
     * what was read from it is stored.
     */
    public long writeAheadSegment = NOT_JOURNALED;
    public static final long NOT_JOURNALED = Long.MAX_VALUE;

    /**
     * Read from a disk-buffer segment the previous run left (a crash, or a stop that ran out of
     * time): with write-ahead, the previous run may have processed it already. A stage must not let
     * a second pass create what the first pass made (the correlator: no orphan record for an
     * in-dialog message of a call that ended before the crash).
     */
    public boolean previousRun;

    /**
     * When the listener received it (wall clock, µs), -1 when not known (imports, tests, a record of an
     * older disk buffer). The capture clock measures an agent's offset against this, not against the
     * moment the worker gets to the message: a worker catching up on a backlog must not squeeze the
     * backlog's state times together.
     */
    public long receivedMicros = -1;

    // --- set by the capture clock (ingest/CaptureClock) in a live collector; -1 when not set
    /**
     * The time this message moves state by (the correlator's and the fraud engine's clocks):
     * its HEP time corrected by its agent's learned clock offset and held within the collector's
     * wall clock ± the configured lead/lag. -1 (unset) means the HEP time itself (offline replays).
     */
    public long stateMicros = -1;
    /** The time that chooses the daily index: the HEP time unless it is implausible, then {@link #stateMicros}. */
    public long indexMicros = -1;

    // --- set by the parse stage
    /** The protocol that took the payload (never null after parsing). */
    public PayloadProtocol<?> protocol;
    /** What {@link #protocol} parsed (a {@code SipMessage}, an {@code RtcpReport}, ...), or null. */
    public Object parsed;
    /** Deterministic document id: hash of capture id, capture time, addresses and payload. */
    public String id;
    /** Concrete index for this message. */
    public String index;
    /** Why the payload could not be parsed (the message is still indexed), or null. */
    public String parseError;

    // --- set by the enrich stage (null when the enricher is off or had nothing to say)
    public IpInfo sourceInfo;
    public IpInfo destinationInfo;
    /** e.164 analyses of the SIP parties, indexed by {@link Party#ordinal()}. */
    public final NumberInfo[] numbers = new NumberInfo[PARTIES];
    /** {@code Party.values().length}, read once: {@code values()} copies its array on every call. */
    private static final int PARTIES = Party.values().length;

    // --- set by the correlation stage
    /** Call-ID of the call this message belongs to (a non-SIP message joins through its correlation id). */
    public String callId;
    /** True when this SIP message repeats one already seen (retransmission or a second capture point). */
    public boolean duplicate;

    /** The SIP parties whose numbers are analysed. */
    public enum Party {
        REQUEST_URI, FROM, TO, PAI
    }

    public CapturedMessage(HepPacket hep, Transport transport, InetSocketAddress peer) {
        this.hep = hep;
        this.transport = transport;
        this.peer = peer;
    }

    /** Whether its document is stored already ({@link #storedId}): the stages use it, the index stage does not write it. */
    public boolean stored() {
        return storedId != null;
    }

    /**
     * What holding this message in memory costs, for byte budgets (the queue, the reorder stage):
     * its payload plus about 512 bytes of packet and message objects.
     */
    public long heldBytes() {
        return 512L + (hep.payload == null ? 0 : hep.payload.length);
    }

    /** The HEP capture time (what the message's document says). */
    public long timestampMicros() {
        long t = hep.timestampMicros();
        return t >= 0 ? t : 0;
    }

    /** The time for stateful clocks: {@link #stateMicros} when the capture clock set it, else the HEP time. */
    public long stateMicros() {
        return stateMicros >= 0 ? stateMicros : timestampMicros();
    }

    /** The time that names the message's daily index: {@link #indexMicros} when set, else the HEP time. */
    public long indexMicros() {
        return indexMicros >= 0 ? indexMicros : timestampMicros();
    }

    // --- what the protocol says about this message (the parsed payload typed by its protocol, in one place)

    /** {@code event.action}, or null (also when the payload did not parse). */
    public String action() {
        return parsed == null ? null : action(protocol);
    }

    /** Whether the raw payload goes into {@code event.original}. */
    public boolean keepsOriginal(MessageFields fields) {
        return keepsOriginal(protocol, fields);
    }

    /** Writes the protocol's own document fields. */
    public void writeProtocolFields(JsonGenerator g, MessageFields fields) throws IOException {
        write(protocol, g, fields);
    }

    /** The call this message names, as its protocol says. */
    public String correlationKey() {
        return correlationKey(protocol);
    }

    /** The media quality report it carries (an {@code RtcpReport} or a {@code QosReport}), or null. */
    public Object mediaReport() {
        return parsed == null ? null : mediaReport(protocol);
    }

    private <T> String action(PayloadProtocol<T> p) {
        return p.action(p.parsedOf(this));
    }

    private <T> boolean keepsOriginal(PayloadProtocol<T> p, MessageFields fields) {
        return p.keepsOriginal(p.parsedOf(this), fields);
    }

    private <T> void write(PayloadProtocol<T> p, JsonGenerator g, MessageFields fields) throws IOException {
        p.write(p.parsedOf(this), this, g, fields);
    }

    private <T> String correlationKey(PayloadProtocol<T> p) {
        return p.correlationKey(p.parsedOf(this), hep);
    }

    private <T> Object mediaReport(PayloadProtocol<T> p) {
        return p.mediaReport(p.parsedOf(this));
    }

    /** {@link #parsed} when it is a {@code type}, else null. */
    public <T> T parsed(Class<T> type) {
        return type.isInstance(parsed) ? type.cast(parsed) : null;
    }
}
