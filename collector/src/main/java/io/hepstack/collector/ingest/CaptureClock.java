package io.hepstack.collector.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.hepstack.collector.pipeline.CapturedMessage;
import jakarta.validation.constraints.Min;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keeps a packet's claimed time out of the collector's state. The HEP time is what the sender says;
 * anyone who can send HEP can say 2106, or replay last year's capture. The message keeps its HEP
 * time on its document, but the clocks that state runs by (the correlator's timers, the fraud
 * engine's windows and durations) and the choice of daily index use times this clock sets:
 *
 * <ul>
 * <li><b>State time</b> ({@link CapturedMessage#stateMicros}): the HEP time plus the sending agent's
 *     learned offset to the wall clock, held within {@code wall - maxLag .. wall + maxLead}. An agent
 *     is a capture id from one source address. Its offset is seeded by its first packet and then
 *     follows slow drift (packets within {@code maxLead} of the offset move it by 1/16 of the
 *     difference). A packet far from the offset is clamped and does not move it; only
 *     {@code reseedAfter} packets in a row that agree with each other on a new offset replace it (the
 *     agent's clock was stepped, or a replay started). So a steady skew costs nothing, a replay of an
 *     old capture from its own capture id runs at "now" with its timing kept, and a lone spoofed
 *     packet moves nothing.</li>
 * <li><b>Index time</b> ({@link CapturedMessage#indexMicros}): the HEP time when it lies within
 *     {@code wall - maxIndexAge .. wall + maxLead}, else the state time. A packet dated 2106 lands in
 *     today's index; yesterday's packets still go to yesterday's.</li>
 * </ul>
 *
 * <p>The agent table is keyed by sender data, so it is capped ({@code maxAgents}, least recently
 * seen evicted and counted). Not thread-safe: the pipeline worker owns it ({@link CaptureClockStage}).
 */
public final class CaptureClock {

    /** Settings ({@code hep.clock}). */
    public static class Config {
        /**
         * Off: packet times are trusted for state and index (a lab collector that replays captures
         * at speed and wants their days and timings; never for one that anyone else can reach).
         */
        @JsonProperty
        public boolean enabled = true;
        /** How far ahead of the wall clock (after the agent's offset) a packet's state time may be. */
        @JsonProperty
        public Duration maxLead = Duration.seconds(10);
        /** How far behind the wall clock a packet's state time may be (late, buffered packets). */
        @JsonProperty
        public Duration maxLag = Duration.seconds(60);
        /** Packets up to this old still go to the index of their own day. */
        @JsonProperty
        public Duration maxIndexAge = Duration.days(7);
        /** Packets in a row that agree on a new offset before it replaces an agent's old one. */
        @JsonProperty
        @Min(1)
        public int reseedAfter = 256;
        /** Agents (capture id + source address) whose offsets are kept; least recently seen evicted. */
        @JsonProperty
        @Min(1)
        public int maxAgents = 4096;
    }

    private static final class Agent {
        long offset;
        long candidate;
        int candidateHits;
    }

    private record AgentKey(long captureId, Object address) {
    }

    private final long maxLead;
    private final long maxLag;
    private final long maxIndexAge;
    private final int reseedAfter;
    private final LongSupplier wallMicros;
    private final Map<AgentKey, Agent> agents;

    private long clamped;
    private long reseeded;
    private long evicted;

    public CaptureClock(Config config, LongSupplier wallMicros) {
        this.maxLead = config.maxLead.toMicroseconds();
        this.maxLag = config.maxLag.toMicroseconds();
        this.maxIndexAge = config.maxIndexAge.toMicroseconds();
        this.reseedAfter = config.reseedAfter;
        this.wallMicros = wallMicros;
        int cap = config.maxAgents;
        this.agents = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<AgentKey, Agent> eldest) {
                if (size() > cap) {
                    evicted++;
                    return true;
                }
                return false;
            }
        };
    }

    /** Sets the message's state and index times. */
    public void stamp(CapturedMessage m) {
        // the receive time, when the listener set it: the worker may get to a message seconds later
        // (a backlog), and measured against its own clock a backlog would run at the worker's pace.
        // A previous run's message was received by another run: it runs at "now", as before.
        long wall = m.receivedMicros > 0 && !m.previousRun ? m.receivedMicros : wallMicros.getAsLong();
        long hep = m.timestampMicros();
        long observed = wall - hep;
        Agent a = agents.get(key(m));
        if (a == null) {
            a = new Agent();
            a.offset = observed;
            agents.put(key(m), a);
        } else {
            learn(a, observed);
        }
        long adjusted = hep + a.offset;
        long state = Math.max(wall - maxLag, Math.min(wall + maxLead, adjusted));
        if (state != adjusted) {
            clamped++;
        }
        m.stateMicros = Math.max(0, state);
        m.indexMicros = hep >= wall - maxIndexAge && hep <= wall + maxLead ? hep : m.stateMicros;
    }

    private void learn(Agent a, long observed) {
        long d = observed - a.offset;
        if (Math.abs(d) <= maxLead) {
            a.offset += d / 16; // follows drift, never jumps
            a.candidateHits = 0;
            return;
        }
        if (a.candidateHits > 0 && Math.abs(observed - a.candidate) <= maxLead) {
            a.candidateHits++;
        } else {
            a.candidate = observed;
            a.candidateHits = 1;
        }
        if (a.candidateHits >= reseedAfter) {
            a.offset = a.candidate;
            a.candidateHits = 0;
            reseeded++;
        }
    }

    private static AgentKey key(CapturedMessage m) {
        InetSocketAddress peer = m.peer;
        return new AgentKey(m.hep.captureId, peer == null ? null : peer.getAddress());
    }

    /** Packets whose state time was held to the wall clock's window. */
    public long clamped() {
        return clamped;
    }

    /** Agents whose offset was replaced after a run of packets agreed on a new one. */
    public long reseeded() {
        return reseeded;
    }

    /** Agents forgotten because the table was full. */
    public long evicted() {
        return evicted;
    }

    public int agents() {
        return agents.size();
    }
}
