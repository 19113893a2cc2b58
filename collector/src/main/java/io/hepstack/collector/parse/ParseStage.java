package io.hepstack.collector.parse;

import com.codahale.metrics.Meter;
import io.hepstack.collector.document.DocumentIds;
import io.hepstack.collector.document.IndexNames;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.ParseFailure;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.StageContext;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Finds each payload's protocol in the {@link Protocols} registry, gives the message its document
 * id and index, and parses it. A payload that does not parse keeps {@code parseError} and is still
 * indexed. Metrics: {@code parse.<dataset>.ok}, {@code parse.<dataset>.failed}.
 *
 * <p>After a crash, the restart replays the stored messages of calls without a TDR
 * ({@link CapturedMessage#stored()}), then reads the write-ahead buffer the previous run left
 * ({@link CapturedMessage#previousRun}), whose oldest messages may be stored already: such a message,
 * the same packet a second time (same document id), is dropped here
 * ({@code parse.replayed_twice}): its document is stored and the stages have its state, and a second
 * pass would count it as a retransmission.
 */
public final class ParseStage implements Stage {

    private final Protocols protocols;
    private final Map<PayloadProtocol<?>, Entry> entries = new IdentityHashMap<>();
    /** Ids of the stored messages replayed through the stages, newest {@link #REPLAYED_KEPT}. */
    private final Set<String> replayed = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REPLAYED_KEPT;
        }
    });
    static final int REPLAYED_KEPT = 100_000;
    private final Meter replayedTwice;

    /** What the stage keeps per protocol: its index names and counters. */
    private record Entry(IndexNames names, Meter ok, Meter failed) {
    }

    public ParseStage(StageContext context, Protocols protocols) {
        this.protocols = protocols;
        this.replayedTwice = context.meter("replayed_twice");
        for (PayloadProtocol<?> p : protocols.all()) {
            entries.put(p, new Entry(new IndexNames(p.family()), context.meter(p.dataset() + ".ok"),
                    context.meter(p.dataset() + ".failed")));
        }
        // the registry's own raw fallback, when it added one
        PayloadProtocol<?> last = protocols.lastResort();
        entries.computeIfAbsent(last, k -> new Entry(new IndexNames(k.family()), context.meter(k.dataset() + ".ok"),
                context.meter(k.dataset() + ".failed")));
    }

    @Override
    public void process(Batch batch) {
        for (CapturedMessage m : batch.messages()) {
            parse(m);
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

    void parse(CapturedMessage m) {
        PayloadProtocol<?> p = protocols.of(m.hep);
        Entry e = entries.get(p);
        m.protocol = p;
        m.index = e.names.forMicros(m.indexMicros()); // a 2106-dated packet creates no 2106 index
        try {
            m.parsed = p.parse(m.hep);
            e.ok.mark();
        } catch (ParseFailure f) {
            m.parseError = f.type() + ": " + f.getMessage();
            e.failed.mark();
        }
        // after parsing: the id is that of what is stored (SIP credentials are masked in place while
        // parsing, so the same packet seen again, or its copy from another capture point, gets the same id)
        m.id = m.stored() ? m.storedId : DocumentIds.of(m.hep); // a stored one keeps its document's id
    }
}
