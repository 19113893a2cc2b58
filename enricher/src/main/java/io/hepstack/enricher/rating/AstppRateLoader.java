package io.hepstack.enricher.rating;

import io.hepstack.enricher.reload.FileLoader;
import io.hepstack.enricher.reload.LoadException;

import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * ASTPP rate import CSV: {@code Code,Destination,Connect Cost,Included Seconds,Per Minute Cost,
 * Initial Increment,Increment}. Also reads ASTPP's older samples: quoted headers, a trailing comma on
 * rows, {@code Precedence} and {@code Prepend} columns (ignored), and no {@code Initial Increment}
 * column (then the first block is one {@code Increment}, i.e. plain "n/n" billing — ASTPP itself would
 * bill a 1-second first block, which nobody means). An increment of 0 counts as 1 second, as in ASTPP.
 * Codes may be written as ASTPP patterns ({@code ^44.*}).
 */
public final class AstppRateLoader implements FileLoader<RateTable> {

    private final String name;
    private final String currency;
    private final int decimals;

    public AstppRateLoader(String name, String currency, int decimals) {
        this.name = name;
        this.currency = currency;
        this.decimals = decimals;
    }

    @Override
    public RateTable load(Path file) throws LoadException {
        Rows.Table t = Rows.read(file);
        int code = t.require("Code", "code", "pattern", "prefix");
        int cost = t.require("Per Minute Cost", "per_minute_cost", "cost", "rate");
        int dest = t.header().find("destination", "comment");
        int connect = t.header().find("connect_cost", "connectcost", "connection_cost");
        int included = t.header().find("included_seconds", "includedseconds");
        int initial = t.header().find("initial_increment", "init_inc", "initial_inc");
        int inc = t.header().find("increment", "inc");
        RateTable.Builder b = new RateTable.Builder(name);
        for (Rows.Row r : t.rows()) {
            String p = Rows.prefix(file, r, code);
            long next = Math.max(1, Rows.seconds(file, r, inc, "Increment", 60));
            long first = initial < 0 ? next : Math.max(1, Rows.seconds(file, r, initial, "Initial Increment", next));
            RateEntry e = RateEntry.simple(p, Rows.text(r, dest), Rows.decimal(file, r, cost, "Per Minute Cost", null),
                    Rows.decimal(file, r, connect, "Connect Cost", BigDecimal.ZERO),
                    Rows.seconds(file, r, included, "Included Seconds", 0), first, next, currency, null, decimals);
            Rows.add(b, file, r, e);
        }
        return b.build();
    }
}
