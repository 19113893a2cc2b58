package io.hepstack.collector.pipeline;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.index.DocumentSink;
import io.hepstack.collector.index.IndexRequest;
import io.hepstack.collector.index.MessageDocumentWriter;

import java.util.List;

/** Writes one document per captured message and hands it to the sink (the bulk indexer). */
public final class IndexStage implements Stage {

    private final MessageDocumentWriter writer;
    private final DocumentSink sink;
    private final Meter documents;

    public IndexStage(MessageDocumentWriter writer, DocumentSink sink, MetricRegistry metrics) {
        this.writer = writer;
        this.sink = sink;
        this.documents = metrics.meter("pipeline.documents");
    }

    @Override
    public void process(List<CapturedMessage> batch) {
        for (CapturedMessage m : batch) {
            sink.accept(IndexRequest.create(m.index, m.id, writer.write(m)));
        }
        documents.mark(batch.size());
    }

    @Override
    public void flush() {
        sink.flush();
    }
}
