package io.hepstack.enricher.rating;

import io.hepstack.enricher.reload.FileLoader;
import io.hepstack.enricher.reload.LoadException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kazoo (2600Hz) rate deck CSV ({@code tasks} "rates" import): {@code prefix, iso_country_code,
 * description, direction, rate_cost, rate_increment, rate_minimum, rate_surcharge,
 * rate_nocharge_time, rate_name, weight}. Mapping (Kazoo's {@code kapps_call_util:calculate_call}):
 * surcharge = connect fee; the first {@code rate_minimum} seconds are one block, then blocks of
 * {@code rate_increment} (0 means 60); a call no longer than {@code rate_nocharge_time} costs nothing.
 * Only rows of the configured direction (default outbound) or with no direction are read; of two
 * rows with the same prefix the higher {@code weight} wins (equal weights: an error).
 */
public final class KazooRateLoader implements FileLoader<RateTable> {

    private final String name;
    private final String currency;
    private final int decimals;
    private final String direction;

    public KazooRateLoader(String name, String currency, int decimals, String direction) {
        this.name = name;
        this.currency = currency;
        this.decimals = decimals;
        this.direction = direction == null || direction.isBlank() ? "outbound" : direction.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public RateTable load(Path file) throws LoadException {
        Rows.Table t = Rows.read(file);
        int prefix = t.require("prefix", "prefix");
        int cost = t.require("rate_cost", "rate_cost");
        int desc = t.header().find("description");
        int rateName = t.header().find("rate_name");
        int dir = t.header().find("direction");
        int inc = t.header().find("rate_increment");
        int min = t.header().find("rate_minimum");
        int surcharge = t.header().find("rate_surcharge");
        int noCharge = t.header().find("rate_nocharge_time");
        int weight = t.header().find("weight");
        Map<String, Rows.Row> chosen = new HashMap<>();
        Map<String, Long> chosenWeight = new HashMap<>();
        for (Rows.Row r : t.rows()) {
            String d = Rows.text(r, dir).toLowerCase(Locale.ROOT);
            if (!d.isEmpty() && !d.equals(direction)) {
                continue;
            }
            String p = Rows.prefix(file, r, prefix);
            long w = Rows.seconds(file, r, weight, "weight", 0);
            Long before = chosenWeight.get(p);
            if (before != null && before == w) {
                throw new LoadException(file, r.line(), "prefix " + p + " twice with the same weight " + w
                        + " (first on line " + chosen.get(p).line() + ")");
            }
            if (before == null || w > before) {
                chosen.put(p, r);
                chosenWeight.put(p, w);
            }
        }
        RateTable.Builder b = new RateTable.Builder(name);
        for (Map.Entry<String, Rows.Row> e : chosen.entrySet()) {
            Rows.Row r = e.getValue();
            BigDecimal rate = Rows.decimal(file, r, cost, "rate_cost", null);
            long increment = Rows.seconds(file, r, inc, "rate_increment", 60);
            increment = increment == 0 ? 60 : increment;
            long minimum = Rows.seconds(file, r, min, "rate_minimum", 0);
            List<RateSlot> slots = minimum == 0
                    ? List.of(new RateSlot(0, rate, 60, increment))
                    : minimum == increment ? List.of(new RateSlot(0, rate, 60, increment))
                    : List.of(new RateSlot(0, rate, 60, minimum), new RateSlot(minimum, rate, 60, increment));
            String description = Rows.text(r, desc).isEmpty() ? Rows.text(r, rateName) : Rows.text(r, desc);
            RateEntry entry = new RateEntry(e.getKey(), description,
                    Rows.decimal(file, r, surcharge, "rate_surcharge", BigDecimal.ZERO), 0,
                    Rows.seconds(file, r, noCharge, "rate_nocharge_time", 0), slots, currency, null,
                    RoundingMode.HALF_UP, decimals, null);
            Rows.add(b, file, r, entry);
        }
        return b.build();
    }
}
