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

/**
 * The last stage: one document per captured message (not for one replayed from storage at a restart,
 * {@link CapturedMessage#stored()}), every TDR write the correlator emitted
 * (priced by the rate stage by now) and every fraud alert, handed to the sink (the bulk indexer).
 * Metrics: {@code index.documents}, {@code index.tdr.documents}, {@code index.tdr.errors},
 * {@code index.alert.documents}.
 *
 * <p>Everything happens on the pipeline's worker. Writing the message documents on a thread of
 * their own was measured and left out: on 2 cores shared with Elasticsearch it cost more CPU than it
 * freed (bench/README.md, "index thread").
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

    /**
     * @param writer message documents; null writes only the TDRs (benchmarks and tests that write
     *               the message documents themselves)
     */
    public IndexStage(StageContext context, MessageDocumentWriter writer, DocumentSink sink) {
        this.writer = writer;
        this.sink = sink;
        this.documents = context.meter("documents");
        this.tdrs = context.meter("tdr.documents");
        this.tdrErrors = context.meter("tdr.errors");
        this.alerts = context.meter("alert.documents");
        this.log = context.log();
    }

    @Override
    public void process(Batch batch) {
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

    @Override
    public void flush(Batch batch) {
        sink.flush(); // after process(batch) wrote what the earlier stages flushed into it
    }

    private void write(TdrWrite w) {
        try {
            sink.accept(w.index(), w.id(), false, w.version(), w.documentLent());
            tdrs.mark();
        } catch (RuntimeException ex) {
            tdrErrors.mark();
            long n = tdrErrors.getCount();
            if (n <= 10 || n % 1000 == 0) { // a broken record must not flood the log
                log.warn("TDR {} could not be written ({} errors so far): {}", w.describe(), n, ex.toString(), ex);
            }
        }
    }
}
