package io.hepstack.collector.parse;

import com.codahale.metrics.Meter;
import io.hepstack.collector.document.DocumentIds;
import io.hepstack.collector.document.IndexNames;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.StageContext;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The part of parsing that the reorder stage needs before it: finds each payload's protocol in the
 * {@link Protocols} registry, lets it prepare the payload ({@link PayloadProtocol#prepare}: SIP
 * credentials are masked in place), and gives the message its document id (of the masked payload,
 * so the same packet seen again, or its copy from another capture point, gets the same id) and its
 * daily index. The payload itself is parsed by {@link ParseStage}, after the reorder window: what
 * the window holds is then the raw packet, not its parsed form.
 *
 * <p>After a crash, the restart replays the stored messages of calls without a TDR
 * ({@link CapturedMessage#stored()}), then reads the write-ahead buffer the previous run left
 * ({@link CapturedMessage#previousRun}), whose oldest messages may be stored already: such a message,
 * the same packet a second time (same document id), is dropped here ({@code <stage>.replayed_twice}):
 * its document is stored and the stages have its state, and a second pass would count it as a
 * retransmission. This runs in arrival order, before the reorder window mixes the three sources.
 */
public final class IdentifyStage implements Stage {

    private final Protocols protocols;
    private final Map<PayloadProtocol<?>, IndexNames> names = new IdentityHashMap<>();
    /** Ids of the stored messages replayed through the stages, newest {@link #REPLAYED_KEPT}. */
    private final Set<String> replayed = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REPLAYED_KEPT;
        }
    });
    static final int REPLAYED_KEPT = 100_000;
    private final Meter replayedTwice;

    public IdentifyStage(StageContext context, Protocols protocols) {
        this.protocols = protocols;
        this.replayedTwice = context.meter("replayed_twice");
        for (PayloadProtocol<?> p : protocols.all()) {
            names.put(p, new IndexNames(p.family()));
        }
        PayloadProtocol<?> last = protocols.lastResort(); // the registry's own raw fallback, when it added one
        names.computeIfAbsent(last, k -> new IndexNames(k.family()));
    }

    @Override
    public void process(Batch batch) {
        for (CapturedMessage m : batch.messages()) {
            identify(m);
        }
        if (!replayed.isEmpty()) {
            int before = batch.messages().size();
            batch.messages().removeIf(m -> m.previousRun && replayed.contains(m.id));
            replayedTwice.mark(before - batch.messages().size());
        }
        for (CapturedMessage m : batch.messages()) {
            if (m.stored()) {
                replayed.add(m.id);
            } else if (!m.previousRun) {
                replayed.clear(); // the previous run's buffer is read before anything new: nothing left to compare
            }
        }
    }

    void identify(CapturedMessage m) {
        PayloadProtocol<?> p = protocols.of(m.hep);
        m.protocol = p;
        m.index = names.get(p).forMicros(m.indexMicros()); // a 2106-dated packet creates no 2106 index
        p.prepare(m.hep);
        m.id = m.stored() ? m.storedId : DocumentIds.of(m.hep); // a stored one keeps its document's id
    }
}
