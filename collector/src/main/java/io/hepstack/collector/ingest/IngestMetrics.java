package io.hepstack.collector.ingest;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.hep.HepDecodeException;
import io.hepstack.collector.hep.HepRejectionListener;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters of the listeners: received, accepted into the pipeline, rejected by reason, dropped
 * because the pipeline was full — per transport — and decoded per HEP protocol type; connections
 * refused over the caps and cut (idle, unfinished frame). Also the rejection listener of the HEP
 * decoders (rate-limited log: one line per reason per 10 s).
 */
public final class IngestMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(IngestMetrics.class);

    private final MetricRegistry registry;
    private final Map<Transport, Meter> received = new EnumMap<>(Transport.class);
    private final Map<Transport, Meter> queued = new EnumMap<>(Transport.class);
    private final Map<Transport, Meter> dropped = new EnumMap<>(Transport.class);
    private final Map<Transport, Map<HepDecodeException.Reason, Meter>> rejected = new EnumMap<>(Transport.class);
    private final Map<Integer, Meter> byType = new ConcurrentHashMap<>();
    private final WarningLimiter warnings = new WarningLimiter(LOG);
    final Meter connectionsRefused;
    final Meter connectionsCutPartialFrame;
    final Meter connectionsCutIdle;

    public IngestMetrics(MetricRegistry registry) {
        this.registry = registry;
        for (Transport t : Transport.values()) {
            received.put(t, registry.meter("hep." + t.label() + ".received"));
            queued.put(t, registry.meter("hep." + t.label() + ".accepted"));
            dropped.put(t, registry.meter("hep." + t.label() + ".dropped_queue_full"));
            Map<HepDecodeException.Reason, Meter> r = new EnumMap<>(HepDecodeException.Reason.class);
            for (HepDecodeException.Reason reason : HepDecodeException.Reason.values()) {
                r.put(reason, registry.meter("hep." + t.label() + ".rejected." + reason.name().toLowerCase()));
            }
            rejected.put(t, r);
        }
        connectionsRefused = registry.meter("hep.connections.refused");
        connectionsCutPartialFrame = registry.meter("hep.connections.cut_partial_frame");
        connectionsCutIdle = registry.meter("hep.connections.cut_idle");
    }

    /** Gauges of the open connections and the addresses they come from. */
    void register(ConnectionLimiter limiter) {
        registry.gauge("hep.connections.open", () -> limiter::open);
        registry.gauge("hep.connections.addresses", () -> limiter::addresses);
    }

    /** One log line per kind per 10 s for everything the listeners warn about. */
    WarningLimiter warnings() {
        return warnings;
    }

    /** Rejected packets of one reason, all transports. */
    public long rejected(HepDecodeException.Reason reason) {
        return rejected.values().stream().mapToLong(m -> m.get(reason).getCount()).sum();
    }

    public void received(Transport t) {
        received.get(t).mark();
    }

    public void accepted(Transport t, int protoType) {
        queued.get(t).mark();
        byType.computeIfAbsent(protoType, p -> registry.meter("hep.decoded.type_" + p)).mark();
    }

    /**
     * The first {@code kept} messages of a hand-off were accepted, the rest dropped: one mark per
     * meter and protocol type for the batch rather than two per message.
     */
    void handedOff(Transport t, List<CapturedMessage> batch, int kept) {
        queued.get(t).mark(kept);
        dropped.get(t).mark(batch.size() - kept);
        int i = 0;
        while (i < kept) {
            int type = batch.get(i).hep.protoType;
            int run = i;
            while (run < kept && batch.get(run).hep.protoType == type) {
                run++; // a run of one type: SIP comes in runs
            }
            byType.computeIfAbsent(type, p -> registry.meter("hep.decoded.type_" + p)).mark(run - i);
            i = run;
        }
    }

    void received(Transport t, int n) {
        received.get(t).mark(n);
    }

    public void dropped(Transport t) {
        dropped.get(t).mark();
    }

    public long rejectedTotal() {
        long n = 0;
        for (Map<HepDecodeException.Reason, Meter> m : rejected.values()) {
            for (Meter meter : m.values()) {
                n += meter.getCount();
            }
        }
        return n;
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Meter::getCount).sum();
    }

    public long receivedTotal() {
        return received.values().stream().mapToLong(Meter::getCount).sum();
    }

    /** A rejection listener that counts per transport. */
    public HepRejectionListener rejectionListener(Transport t) {
        Map<HepDecodeException.Reason, Meter> meters = rejected.get(t);
        Meter rx = received.get(t);
        return (reason, peer, detail) -> {
            meters.get(reason).mark();
            if (t == Transport.UDP) {
                rx.mark(); // a rejected datagram was still received; accepted ones are counted by the handler
            }
            warnings.warn(reason.name(), "HEP packet from {} rejected ({}): {}", peer, reason, detail);
        };
    }
}
