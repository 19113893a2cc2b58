package io.hepstack.tools.hepgen;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Synthetic VoIP traffic as a capture agent on an SBC would send it over HEP3: a time-ordered
 * stream of {@link TrafficPacket}s made of calls ({@link CallOutcome}), RTCP reports and LOG
 * lines, and registrations ({@link RegistrationOutcome}), configured by a {@link TrafficConfig}.
 *
 * <p><b>Deterministic.</b> The same configuration (seed included) gives the same packets, byte
 * for byte. Calls and registrations arrive as two Poisson processes in model time starting at
 * {@link TrafficConfig#startMicros()} (the first of each exactly then); the n-th call draws
 * everything about itself from a random stream derived from (seed, n) alone.
 *
 * <p><b>Exact mix.</b> Outcomes are dealt from an {@link OutcomeDeck}, so N calls hold each
 * outcome exactly {@code round(N × weight / total)} times (largest remainder).
 *
 * <p><b>Time-ordered.</b> Packets come out in non-decreasing HEP time (ties: the earlier-started
 * scenario first). Scenarios in progress wait in a priority queue keyed by their next step;
 * packets are made only when they come out, so memory grows with the calls in progress (a
 * few hundred bytes each), not with packets.
 *
 * <p>With unlimited calls or registrations the stream never ends. Not thread-safe.
 */
public final class HepTrafficModel implements Iterator<TrafficPacket> {

    private static final int KIND_CALL = 1;
    private static final int KIND_REGISTRATION = 2;
    private static final int KIND_ARRIVALS = 3;

    private final TrafficConfig config;
    private final Scenario.Context ctx;
    private final PriorityQueue<Scenario> active = new PriorityQueue<>(64, (a, b) -> {
        int c = Long.compare(a.nextTime(), b.nextTime());
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private final OutcomeDeck callDeck;
    private final OutcomeDeck registrationDeck;
    private final SplittableRandom callArrivals;
    private final SplittableRandom registrationArrivals;
    private long callsStarted;
    private long registrationsStarted;
    private long nextCallMicros;
    private long nextRegistrationMicros;
    private long scenarios;

    public HepTrafficModel(TrafficConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        this.config = config;
        this.ctx = new Scenario.Context(config);
        long seed = config.seed();
        this.callDeck = config.calls() == 0 ? null
                : new OutcomeDeck(weights(config.callMix(), CallOutcome.values()), config.calls(), mix(seed, KIND_CALL, -1));
        this.registrationDeck = config.registrations() == 0 ? null
                : new OutcomeDeck(weights(config.registrationMix(), RegistrationOutcome.values()), config.registrations(),
                        mix(seed, KIND_REGISTRATION, -1));
        this.callArrivals = new SplittableRandom(mix(seed, KIND_ARRIVALS, KIND_CALL));
        this.registrationArrivals = new SplittableRandom(mix(seed, KIND_ARRIVALS, KIND_REGISTRATION));
        this.nextCallMicros = config.startMicros();
        this.nextRegistrationMicros = config.startMicros();
    }

    private static <E extends Enum<E>> int[] weights(java.util.Map<E, Integer> mix, E[] values) {
        int[] w = new int[values.length];
        for (E e : values) {
            w[e.ordinal()] = mix.getOrDefault(e, 0);
        }
        return w;
    }

    public TrafficConfig config() {
        return config;
    }

    /** Calls and registrations in progress (started, not all of their packets out yet). */
    public int inProgress() {
        return active.size();
    }

    @Override
    public boolean hasNext() {
        return !active.isEmpty() || moreCalls() || moreRegistrations();
    }

    @Override
    public TrafficPacket next() {
        startDue();
        Scenario s = active.poll();
        if (s == null) {
            throw new NoSuchElementException("all " + scenarios + " calls and registrations were generated");
        }
        TrafficPacket p = s.emit();
        if (!s.done()) {
            active.add(s);
        }
        return p;
    }

    /** Starts every call and registration due no later than the earliest pending step. */
    private void startDue() {
        while (true) {
            long head = active.isEmpty() ? Long.MAX_VALUE : active.peek().nextTime();
            boolean call = moreCalls() && nextCallMicros <= head;
            boolean reg = moreRegistrations() && nextRegistrationMicros <= head;
            if (call && (!reg || nextCallMicros <= nextRegistrationMicros)) {
                startCall();
            } else if (reg) {
                startRegistration();
            } else {
                return;
            }
        }
    }

    private boolean moreCalls() {
        return callDeck != null && (config.calls() < 0 || callsStarted < config.calls());
    }

    private boolean moreRegistrations() {
        return registrationDeck != null && (config.registrations() < 0 || registrationsStarted < config.registrations());
    }

    private void startCall() {
        CallOutcome outcome = CallOutcome.values()[callDeck.next()];
        SplittableRandom rng = new SplittableRandom(mix(config.seed(), KIND_CALL, callsStarted++));
        active.add(new CallScenario(scenarios++, ctx, rng, nextCallMicros, outcome));
        nextCallMicros += gapMicros(callArrivals, config.callsPerSecond());
    }

    private void startRegistration() {
        RegistrationOutcome outcome = RegistrationOutcome.values()[registrationDeck.next()];
        SplittableRandom rng = new SplittableRandom(mix(config.seed(), KIND_REGISTRATION, registrationsStarted++));
        active.add(new RegistrationScenario(scenarios++, ctx, rng, nextRegistrationMicros, outcome));
        nextRegistrationMicros += gapMicros(registrationArrivals, config.registrationsPerSecond());
    }

    /** An exponential inter-arrival time (Poisson arrivals), at least 1 µs. */
    private static long gapMicros(SplittableRandom rng, double perSecond) {
        double seconds = -Math.log(1.0 - rng.nextDouble()) / perSecond;
        return Math.max(1, Math.round(seconds * 1_000_000.0));
    }

    /** A well-mixed 64-bit seed from (seed, kind, index) (Stafford's variant 13 of the MurmurHash3 finaliser). */
    static long mix(long seed, long kind, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (kind * 0x100000001B3L + index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        z += seed; // keep the seed's own bits in play for kind/index collisions
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
