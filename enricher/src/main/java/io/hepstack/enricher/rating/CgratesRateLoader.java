package io.hepstack.enricher.rating;

import io.hepstack.enricher.reload.FileLoader;
import io.hepstack.enricher.reload.LoadException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CGRateS tariff plan folder: {@code Destinations.csv} ({@code #Id,Prefix}), {@code Rates.csv}
 * ({@code #Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart}, several rows per Id =
 * slots), {@code DestinationRates.csv} ({@code #Id,DestinationId,RatesTag,RoundingMethod,
 * RoundingDecimals,MaxCost,MaxCostStrategy}) and {@code RatingPlans.csv} ({@code #Id,
 * DestinationRatesId,TimingTag,Weight}).
 *
 * <p>One rating plan becomes one table: the configured one, or the only one in the file. The
 * destination name is the DestinationId (CGRateS has no other). Rounding follows the plan
 * ({@code *up}, {@code *down}, {@code *middle} to RoundingDecimals places); MaxCost caps the cost.
 * Only the TimingTag {@code *any} is supported (time-of-day tariffs need Timings.csv): others are
 * rejected. When two destination rates of the plan list the same prefix, the higher Weight wins.
 */
public final class CgratesRateLoader implements FileLoader<RateTable> {

    private final String name;
    private final String currency;
    private final String ratingPlan;

    public CgratesRateLoader(String name, String currency, String ratingPlan) {
        this.name = name;
        this.currency = currency;
        this.ratingPlan = ratingPlan == null || ratingPlan.isBlank() ? null : ratingPlan.strip();
    }

    private record DestRate(Rows.Row row, String destinationId, String ratesTag, RoundingMode rounding, int decimals,
                            BigDecimal maxCost) {
    }

    private record Chosen(RateEntry entry, long weight, Path file, int line) {
    }

    @Override
    public RateTable load(Path dir) throws LoadException {
        if (!Files.isDirectory(dir)) {
            throw new LoadException(dir, 0, "a CGRateS tariff plan is a folder with Destinations.csv, Rates.csv, "
                    + "DestinationRates.csv and RatingPlans.csv");
        }
        Map<String, List<String>> destinations = destinations(dir.resolve("Destinations.csv"));
        Map<String, List<RateSlot>> slots = new HashMap<>();
        Map<String, BigDecimal> connectFees = new HashMap<>();
        rates(dir.resolve("Rates.csv"), slots, connectFees);
        Map<String, List<DestRate>> destRates = destinationRates(dir.resolve("DestinationRates.csv"));
        Path plansFile = dir.resolve("RatingPlans.csv");
        Rows.Table plans = Rows.read(plansFile);
        int pId = plans.require("Id", "id");
        int pDr = plans.require("DestinationRatesId", "destinationratesid");
        int pTiming = plans.header().find("timingtag");
        int pWeight = plans.header().find("weight");
        Set<String> planIds = new LinkedHashSet<>();
        plans.rows().forEach(r -> planIds.add(Rows.text(r, pId)));
        String plan = ratingPlan;
        if (plan == null) {
            if (planIds.size() != 1) {
                throw new LoadException(plansFile, 0, "the file has rating plans " + planIds + ": set ratingPlan");
            }
            plan = planIds.iterator().next();
        } else if (!planIds.contains(plan)) {
            throw new LoadException(plansFile, 0, "rating plan '" + plan + "' not found (have " + planIds + ")");
        }
        Map<String, Chosen> byPrefix = new LinkedHashMap<>();
        for (Rows.Row pr : plans.rows()) {
            if (!plan.equals(Rows.text(pr, pId))) {
                continue;
            }
            String timing = Rows.text(pr, pTiming);
            if (!timing.isEmpty() && !timing.equals("*any")) {
                throw new LoadException(plansFile, pr.line(), "TimingTag '" + timing + "' is not supported (only *any)");
            }
            long weight = (long) Double.parseDouble(Rows.text(pr, pWeight).isEmpty() ? "0" : Rows.text(pr, pWeight));
            String drId = Rows.text(pr, pDr);
            List<DestRate> drs = destRates.get(drId);
            if (drs == null) {
                throw new LoadException(plansFile, pr.line(), "DestinationRatesId '" + drId + "' is not in DestinationRates.csv");
            }
            for (DestRate dr : drs) {
                List<String> prefixes = destinations.get(dr.destinationId());
                if (prefixes == null) {
                    throw new LoadException(dir.resolve("DestinationRates.csv"), dr.row().line(),
                            "DestinationId '" + dr.destinationId() + "' is not in Destinations.csv");
                }
                List<RateSlot> s = slots.get(dr.ratesTag());
                if (s == null) {
                    throw new LoadException(dir.resolve("DestinationRates.csv"), dr.row().line(),
                            "RatesTag '" + dr.ratesTag() + "' is not in Rates.csv");
                }
                for (String p : prefixes) {
                    RateEntry e;
                    try {
                        e = new RateEntry(p, dr.destinationId(), connectFees.get(dr.ratesTag()), 0, 0, s, currency,
                                null, dr.rounding(), dr.decimals(), dr.maxCost());
                    } catch (IllegalArgumentException ex) {
                        throw new LoadException(dir.resolve("DestinationRates.csv"), dr.row().line(), ex.getMessage());
                    }
                    Chosen before = byPrefix.get(p);
                    if (before != null && before.weight() == weight) {
                        throw new LoadException(plansFile, pr.line(), "prefix +" + p + " is rated twice in plan " + plan
                                + " with weight " + weight + " (also on line " + before.line() + ")");
                    }
                    if (before == null || weight > before.weight()) {
                        byPrefix.put(p, new Chosen(e, weight, plansFile, pr.line()));
                    }
                }
            }
        }
        RateTable.Builder b = new RateTable.Builder(name);
        for (Chosen c : byPrefix.values()) {
            b.add(c.entry(), c.line());
        }
        return b.build();
    }

    private static Map<String, List<String>> destinations(Path file) throws LoadException {
        Rows.Table t = Rows.read(file);
        int id = t.require("Id", "id");
        int prefix = t.require("Prefix", "prefix");
        Map<String, List<String>> out = new HashMap<>();
        for (Rows.Row r : t.rows()) {
            String p = Rows.prefix(file, r, prefix);
            out.computeIfAbsent(Rows.text(r, id), k -> new ArrayList<>()).add(p);
        }
        return out;
    }

    private static void rates(Path file, Map<String, List<RateSlot>> slots, Map<String, BigDecimal> connectFees)
            throws LoadException {
        Rows.Table t = Rows.read(file);
        int id = t.require("Id", "id");
        int fee = t.header().find("connectfee");
        int rate = t.require("Rate", "rate");
        int unit = t.header().find("rateunit");
        int inc = t.header().find("rateincrement");
        int start = t.header().find("groupintervalstart");
        for (Rows.Row r : t.rows()) {
            String rid = Rows.text(r, id);
            RateSlot s;
            try {
                s = new RateSlot(duration(file, r, start, "GroupIntervalStart", 0),
                        Rows.decimal(file, r, rate, "Rate", null),
                        duration(file, r, unit, "RateUnit", 60), duration(file, r, inc, "RateIncrement", 60));
            } catch (IllegalArgumentException e) {
                throw new LoadException(file, r.line(), e.getMessage());
            }
            List<RateSlot> list = slots.computeIfAbsent(rid, k -> new ArrayList<>());
            if (list.stream().anyMatch(x -> x.start() == s.start())) {
                throw new LoadException(file, r.line(), "rate " + rid + " has two slots starting at " + s.start() + "s");
            }
            list.add(s);
            list.sort(Comparator.comparingLong(RateSlot::start));
            connectFees.putIfAbsent(rid, Rows.decimal(file, r, fee, "ConnectFee", BigDecimal.ZERO));
        }
        for (Map.Entry<String, List<RateSlot>> e : slots.entrySet()) {
            if (e.getValue().get(0).start() != 0) {
                throw new LoadException(file, 0, "rate " + e.getKey() + " has no slot starting at 0s");
            }
        }
    }

    private static Map<String, List<DestRate>> destinationRates(Path file) throws LoadException {
        Rows.Table t = Rows.read(file);
        int id = t.require("Id", "id");
        int dest = t.require("DestinationId", "destinationid");
        int tag = t.require("RatesTag", "ratestag");
        int method = t.header().find("roundingmethod");
        int decimals = t.header().find("roundingdecimals");
        int max = t.header().find("maxcost");
        Map<String, List<DestRate>> out = new HashMap<>();
        for (Rows.Row r : t.rows()) {
            String m = Rows.text(r, method);
            RoundingMode mode = switch (m) {
                case "", "*middle" -> RoundingMode.HALF_UP;
                case "*up" -> RoundingMode.UP;
                case "*down" -> RoundingMode.DOWN;
                default -> throw new LoadException(file, r.line(), "unknown RoundingMethod '" + m + "' (*up, *down, *middle)");
            };
            long d = Rows.seconds(file, r, decimals, "RoundingDecimals", 4);
            if (d > 12) {
                throw new LoadException(file, r.line(), "RoundingDecimals must be 0..12: " + d);
            }
            BigDecimal maxCost = Rows.decimal(file, r, max, "MaxCost", BigDecimal.ZERO);
            out.computeIfAbsent(Rows.text(r, id), k -> new ArrayList<>()).add(new DestRate(r, Rows.text(r, dest),
                    Rows.text(r, tag), mode, (int) d, maxCost.signum() == 0 ? null : maxCost));
        }
        return out;
    }

    /** Go duration as CGRateS writes it ("60s", "1m", "1m30s", "0", "1h"), in whole seconds. */
    static long duration(Path file, Rows.Row r, int col, String what, long dflt) throws LoadException {
        String s = Rows.text(r, col);
        if (s.isEmpty()) {
            return dflt;
        }
        if (s.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(s); // a bare number: CGRateS reads it as seconds
        }
        long millis = 0;
        int i = 0;
        while (i < s.length()) {
            int startDigits = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            int startUnit = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            if (startDigits == startUnit || startUnit == i) {
                throw new LoadException(file, r.line(), what + " is not a duration: '" + s + "'");
            }
            BigDecimal n = new BigDecimal(s.substring(startDigits, startUnit));
            long factor = switch (s.substring(startUnit, i)) {
                case "h" -> 3_600_000;
                case "m" -> 60_000;
                case "s" -> 1000;
                case "ms" -> 1;
                default -> throw new LoadException(file, r.line(), what + " has an unknown unit: '" + s + "'");
            };
            millis += n.multiply(BigDecimal.valueOf(factor)).longValue();
        }
        if (millis % 1000 != 0) {
            throw new LoadException(file, r.line(), what + " must be whole seconds: '" + s + "'");
        }
        return millis / 1000;
    }
}
