package io.hepstack.collector.index;

import com.codahale.metrics.Meter;
import io.hepstack.collector.correlate.TdrWrite;
import io.hepstack.collector.fraud.AlertEvent;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.PipelineEvent;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.StageContext;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last stage: one document per captured message (not for one replayed from storage at a restart,
 * {@link CapturedMessage#stored()}), every TDR write the correlator emitted
 * (priced by the rate stage by now) and every fraud alert, handed to the sink (the bulk indexer).
 * Metrics: {@code index.documents}, {@code index.tdr.documents}, {@code index.tdr.errors},
 * {@code index.alert.documents}.
 *
 * <p>{@link #onOwnThread} ({@code pipeline.indexThreadBatches} > 0; off by default: on 2 cores
 * shared with Elasticsearch it costs more CPU than it frees, bench/README.md) writes the message
 * documents on a thread of its own: a message is done with by every earlier stage when it
 * gets here, so its document (a fifth of the pipeline worker's time, with the hand-off to the bulk
 * indexer) can be made while the worker goes on with the next batch. The queue between them
 * publishes the messages safely (the lazily parsed SIP is then only read by the index thread). TDRs
 * and alerts are still written on the worker, into owned arrays: their records change with the
 * next message. Built plainly, everything happens on the caller's thread (tests read the sink at once).
 */
public final class IndexStage implements Stage {

    private final MessageDocumentWriter writer;
    private final DocumentSink sink;
    private final Meter documents;
    private final Meter tdrs;
    private final Meter tdrErrors;
    private final Meter alerts;
    private final AlertDocumentWriter alertDocuments = new AlertDocumentWriter();
    private final Logger log;
    /** With a thread of its own: batches of work for it; null when everything happens on the caller's thread. */
    private final BlockingQueue<Work> queue;
    private final Thread thread;
    /** Messages handed to the index thread and not yet written (gauge {@code index.queued}). */
    private final AtomicLong queued = new AtomicLong();
    private final Meter errors;

    /**
     * @param writer message documents; null writes only the TDRs (benchmarks and tests that write
     *               the message documents themselves)
     */
    public IndexStage(StageContext context, MessageDocumentWriter writer, DocumentSink sink) {
        this(context, writer, sink, 0);
    }

    /**
     * Message documents written on a thread of its own, at most {@code batches} batches behind the
     * pipeline's worker (which then waits: back-pressure, as from the bulk indexer).
     */
    public static IndexStage onOwnThread(StageContext context, MessageDocumentWriter writer, DocumentSink sink, int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException("batches must be positive");
        }
        return new IndexStage(context, writer, sink, batches);
    }

    private IndexStage(StageContext context, MessageDocumentWriter writer, DocumentSink sink, int batches) {
        this.writer = writer;
        this.sink = sink;
        this.documents = context.meter("documents");
        this.tdrs = context.meter("tdr.documents");
        this.tdrErrors = context.meter("tdr.errors");
        this.alerts = context.meter("alert.documents");
        this.errors = context.meter("errors");
        this.log = context.log();
        if (batches > 0 && writer != null) {
            queue = new ArrayBlockingQueue<>(batches);
            context.gauge("queued", queued::get);
            thread = new Thread(this::run, "index-writer");
            thread.setDaemon(true);
            thread.start();
        } else {
            queue = null;
            thread = null;
        }
    }

    /** What the index thread does with one batch: its messages' documents, then the owned requests, in order. */
    private record Work(CapturedMessage[] messages, List<IndexRequest> requests, CountDownLatch done, boolean last) {
    }

    @Override
    public void process(Batch batch) {
        if (queue != null) {
            handOver(batch);
            return;
        }
        if (writer != null) {
            int written = 0;
            for (CapturedMessage m : batch.messages()) {
                if (!m.stored()) { // a restart's replay of what is stored already: only its TDRs are new
                    sink.accept(m.index, m.id, true, -1, writer.writeLent(m)); // lent: no copy here
                    written++;
                }
            }
            documents.mark(written);
        }
        for (PipelineEvent e : batch.events()) {
            if (e instanceof TdrWrite w) {
                write(w);
            } else if (e instanceof AlertEvent a) {
                sink.accept(alertDocuments.request(a.alert()));
                alerts.mark();
            }
        }
    }

    /** On the worker: TDRs and alerts into owned arrays (their records change next), the messages as they are. */
    private void handOver(Batch batch) {
        List<IndexRequest> requests = new ArrayList<>(batch.events().size());
        for (PipelineEvent e : batch.events()) {
            if (e instanceof TdrWrite w) {
                IndexRequest r = ownedTdr(w);
                if (r != null) {
                    requests.add(r);
                    tdrs.mark();
                }
            } else if (e instanceof AlertEvent a) {
                requests.add(alertDocuments.request(a.alert()));
                alerts.mark();
            }
        }
        CapturedMessage[] messages = toWrite(batch.messages());
        if (messages.length > 0 || !requests.isEmpty()) {
            enqueue(new Work(messages, requests, null, false));
        }
    }

    /** The messages whose documents are to be written: all but those replayed from storage at a restart. */
    private static CapturedMessage[] toWrite(List<CapturedMessage> messages) {
        int n = 0;
        for (CapturedMessage m : messages) {
            if (!m.stored()) {
                n++;
            }
        }
        if (n == messages.size()) {
            return messages.toArray(new CapturedMessage[0]);
        }
        CapturedMessage[] out = new CapturedMessage[n];
        int i = 0;
        for (CapturedMessage m : messages) {
            if (!m.stored()) {
                out[i++] = m;
            }
        }
        return out;
    }

    private void enqueue(Work w) {
        queued.addAndGet(w.messages().length);
        try {
            queue.put(w);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued.addAndGet(-w.messages().length);
            errors.mark(w.messages().length + w.requests().size());
            log.error("interrupted while handing {} documents to the index thread: not written", w.messages().length
                    + w.requests().size());
        }
    }

    /** The index thread: writes what the worker handed over until the last work item. */
    private void run() {
        while (true) {
            Work w;
            try {
                w = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (CapturedMessage m : w.messages()) {
                try {
                    sink.accept(m.index, m.id, true, -1, writer.writeLent(m)); // lent: the sink copies
                    documents.mark();
                } catch (RuntimeException ex) {
                    failed(ex);
                }
            }
            queued.addAndGet(-w.messages().length);
            for (IndexRequest r : w.requests()) {
                try {
                    sink.accept(r);
                } catch (RuntimeException ex) {
                    failed(ex);
                }
            }
            if (w.done() != null) {
                w.done().countDown();
            }
            if (w.last()) {
                return;
            }
        }
    }

    private void failed(RuntimeException ex) {
        errors.mark();
        long n = errors.getCount();
        if (n <= 10 || n % 1000 == 0) { // a broken document must not flood the log
            log.warn("a document could not be handed to the indexer ({} errors so far): {}", n, ex.toString(), ex);
        }
    }

    @Override
    public void flush(Batch batch) {
        if (queue != null) { // process(batch) handed over what the earlier stages flushed: wait until it is all written
            CountDownLatch done = new CountDownLatch(1);
            enqueue(new Work(new CapturedMessage[0], List.of(), done, false));
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sink.flush();
            return;
        }
        sink.flush(); // after process(batch) wrote what the earlier stages flushed into it
    }

    @Override
    public void stop() {
        if (queue != null) {
            enqueue(new Work(new CapturedMessage[0], List.of(), null, true));
        }
    }

    @Override
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        if (thread == null) {
            return true;
        }
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /** A TDR write as an owned request, or null when it could not be made (counted, logged). */
    private IndexRequest ownedTdr(TdrWrite w) {
        try {
            return IndexRequest.upsert(w.index(), w.id(), w.documentLent().toByteArray(), w.version());
        } catch (RuntimeException ex) {
            tdrFailed(w, ex);
            return null;
        }
    }

    private void write(TdrWrite w) {
        try {
            sink.accept(w.index(), w.id(), false, w.version(), w.documentLent());
            tdrs.mark();
        } catch (RuntimeException ex) {
            tdrFailed(w, ex);
        }
    }

    private void tdrFailed(TdrWrite w, RuntimeException ex) {
        tdrErrors.mark();
        long n = tdrErrors.getCount();
        if (n <= 10 || n % 1000 == 0) { // a broken record must not flood the log
            log.warn("TDR {} could not be written ({} errors so far): {}", w.describe(), n, ex.toString(), ex);
        }
    }
}
