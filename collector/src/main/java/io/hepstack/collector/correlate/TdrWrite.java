package io.hepstack.collector.correlate;

import io.hepstack.collector.document.JsonDocument;
import io.hepstack.collector.pipeline.PipelineEvent;
import io.hepstack.enricher.rating.RateQuery;
import io.hepstack.enricher.rating.Rating;

import java.util.function.Function;

/**
 * A TDR due to be written (upserted with an increasing external version), on the batch: the rate
 * stage prices it ({@link #price}), the index stage writes it ({@link #request}). The record is
 * read when its document is made, in the same batch, before the correlator sees another message.
 */
public final class TdrWrite implements PipelineEvent {

    private final TdrRecord record;
    private final TdrDocumentWriter writer;
    private final long version;
    private final String index;

    TdrWrite(TdrRecord record, TdrDocumentWriter writer) {
        this.record = record;
        this.writer = writer;
        this.version = record.version;
        this.index = record.index;
    }

    /** A call's price as it stands now: its rate at the start and, once it ended, its cost. */
    public void price(Function<RateQuery, Rating> rates) {
        if (!(record instanceof CallRecord c)) {
            return;
        }
        RateQuery start = c.rateQuery(0, true);
        if (start == null) {
            return;
        }
        if (c.startRating == null) {
            c.startRating = rates.apply(start);
        }
        if (c.ended()) {
            c.endRating(c.rateQuery(Math.max(0, c.durationSeconds()), c.answered()), rates);
        }
    }

    /** The daily index ({@code hep-tdr-<start day>}). */
    public String index() {
        return index;
    }

    /** The document id (deterministic per call or transaction). */
    public String id() {
        return record.docId;
    }

    /** The external version of this write (increasing per record). */
    public long version() {
        return version;
    }

    /** The TDR document as the record is now. */
    public byte[] document() {
        return writer.write(record);
    }

    /** The TDR document as the record is now, lent by the writer until its next document ({@link JsonDocument#finish()}). */
    public JsonDocument documentLent() {
        return writer.writeLent(record);
    }

    /** For logs: type, Call-ID and document id. */
    public String describe() {
        return record.type + " " + record.callId + " (" + record.docId + ")";
    }
}
