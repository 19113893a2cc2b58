package io.hepstack.enricher.rating;

import io.hepstack.enricher.reload.FileLoader;
import io.hepstack.enricher.reload.LoadException;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;

/**
 * hepstack's own rate CSV. Header row required; columns by name, any order:
 * {@code prefix} and {@code rate_per_minute} are required; {@code destination}, {@code connect_fee} (0),
 * {@code initial_increment} (1), {@code increment} (= initial_increment), {@code included_seconds} (0),
 * {@code currency} (the table's), {@code valid_from} (ISO date or date-time, UTC when no offset) are optional.
 */
public final class CsvRateLoader implements FileLoader<RateTable> {

    private final String name;
    private final String currency;
    private final int decimals;

    public CsvRateLoader(String name, String currency, int decimals) {
        this.name = name;
        this.currency = currency;
        this.decimals = decimals;
    }

    @Override
    public RateTable load(Path file) throws LoadException {
        Rows.Table t = Rows.read(file);
        int prefix = t.require("prefix", "prefix", "code");
        int rate = t.require("rate_per_minute", "rate_per_minute", "rate");
        int dest = t.header().find("destination", "description");
        int connect = t.header().find("connect_fee");
        int initial = t.header().find("initial_increment");
        int inc = t.header().find("increment");
        int included = t.header().find("included_seconds");
        int cur = t.header().find("currency");
        int validFrom = t.header().find("valid_from");
        RateTable.Builder b = new RateTable.Builder(name);
        for (Rows.Row r : t.rows()) {
            String p = Rows.prefix(file, r, prefix);
            long first = Rows.seconds(file, r, initial, "initial_increment", 1);
            long next = Rows.seconds(file, r, inc, "increment", first);
            if (first == 0 || next == 0) {
                throw new LoadException(file, r.line(), "increments must be at least 1 second");
            }
            String c = Rows.text(r, cur);
            Instant from = Rows.instant(file, r, validFrom, "valid_from");
            RateEntry e = RateEntry.simple(p, Rows.text(r, dest), Rows.decimal(file, r, rate, "rate_per_minute", null),
                    Rows.decimal(file, r, connect, "connect_fee", BigDecimal.ZERO),
                    Rows.seconds(file, r, included, "included_seconds", 0), first, next,
                    c.isEmpty() ? currency : c, from, decimals);
            Rows.add(b, file, r, e);
        }
        return b.build();
    }
}
