package io.hepstack.collector.parse;

import com.codahale.metrics.Meter;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.ParseFailure;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.StageContext;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Parses each message's payload with the protocol {@link IdentifyStage} found for it. A payload that
 * does not parse keeps {@code parseError} and is still indexed. Metrics: {@code parse.<dataset>.ok},
 * {@code parse.<dataset>.failed}.
 *
 * <p>In the collector it runs after the reorder window, so that the window holds raw packets; a
 * message that no identify stage has seen (a pipeline built of this stage alone: tools, tests) is
 * identified here first, replayed copies dropped as {@code parse.replayed_twice}.
 */
public final class ParseStage implements Stage {

    private final Map<PayloadProtocol<?>, Entry> entries = new IdentityHashMap<>();
    private final StageContext context;
    private final Protocols protocols;
    /** Made when a message comes unidentified (this stage alone), so the collector's chain has no idle replay counter here. */
    private IdentifyStage identify;

    /** What the stage keeps per protocol: its counters. */
    private record Entry(Meter ok, Meter failed) {
    }

    public ParseStage(StageContext context, Protocols protocols) {
        this.context = context;
        this.protocols = protocols;
        for (PayloadProtocol<?> p : protocols.all()) {
            entries.put(p, new Entry(context.meter(p.dataset() + ".ok"),
                    context.meter(p.dataset() + ".failed")));
        }
        // the registry's own raw fallback, when it added one
        PayloadProtocol<?> last = protocols.lastResort();
        entries.computeIfAbsent(last, k -> new Entry(context.meter(k.dataset() + ".ok"),
                context.meter(k.dataset() + ".failed")));
    }

    @Override
    public void process(Batch batch) {
        for (CapturedMessage m : batch.messages()) {
            if (m.protocol == null) { // not identified before: this stage is the whole parse
                if (identify == null) {
                    identify = new IdentifyStage(context, protocols);
                }
                identify.process(batch);
                break;
            }
        }
        for (CapturedMessage m : batch.messages()) {
            parse(m);
        }
    }

    void parse(CapturedMessage m) {
        PayloadProtocol<?> p = m.protocol;
        Entry e = entries.get(p);
        try {
            m.parsed = p.parse(m.hep);
            e.ok.mark();
        } catch (ParseFailure f) {
            m.parseError = f.type() + ": " + f.getMessage();
            e.failed.mark();
        }
    }
}
