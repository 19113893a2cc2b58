package io.hepstack.collector.rate;

import com.codahale.metrics.Meter;
import io.hepstack.collector.correlate.CallEvent;
import io.hepstack.collector.correlate.TdrWrite;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.PipelineEvent;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.StageContext;
import io.hepstack.enricher.rating.RateQuery;
import io.hepstack.enricher.rating.Rating;

import java.util.Objects;
import java.util.function.Function;

/**
 * Prices calls with the rate tables (the enricher's ASTPP / Kazoo / CGRateS / CSV tables, hot
 * reloaded): a call's per-minute rate when it starts (for the fraud rules), its cost when it ends,
 * and the price a TDR carries each time it is written. It consumes the correlator's
 * {@link CallEvent}s and {@link TdrWrite}s on the batch; messages pass untouched. Metrics:
 * {@code rate.lookups}, {@code rate.unrated} (lookups that found no rate).
 */
public final class RateStage implements Stage {

    private final Function<RateQuery, Rating> rates;
    private final Meter lookups;
    private final Meter unrated;

    /** @param rates the rate lookup (e.g. {@code enricher::rate}); it may return null or an unrated result */
    public RateStage(StageContext context, Function<RateQuery, Rating> rates) {
        Objects.requireNonNull(rates, "rates");
        this.lookups = context.meter("lookups");
        this.unrated = context.meter("unrated");
        this.rates = q -> {
            Rating r = rates.apply(q);
            lookups.mark();
            if (r == null || r.cost() == null && r.ratePerMinute() == null) {
                unrated.mark();
            }
            return r;
        };
    }

    @Override
    public void process(Batch batch) {
        for (PipelineEvent e : batch.events()) {
            if (e instanceof CallEvent c) {
                c.price(rates);
            } else if (e instanceof TdrWrite w) {
                w.price(rates);
            }
        }
    }
}
