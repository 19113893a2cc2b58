package io.hepstack.collector.api.search;

import io.hepstack.collector.api.ApiErrors;
import io.hepstack.collector.api.TimeParam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The parameters of a search, read and checked once (a bad one is a 400 naming it), shared by the
 * search endpoints and the search-result PCAP export. Every value is optional; lists are
 * comma-separated. See UI-CONTRACT.md "Search" and the OpenAPI document for each one.
 */
public record SearchParams(Tier tier, long fromMicros, long toMicros, QuickSearch quick, List<String> statuses,
                           List<String> methods, List<Integer> codes, String caller, String callee, String ip,
                           String node, List<Long> captureIds, String domain, String ua, Double mosBelow,
                           Double costAbove, Boolean fraud, List<String> protocols, String sortName, boolean sortDesc,
                           int size, String after) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;
    /** Without from/to: the last hour. */
    public static final long DEFAULT_RANGE_MICROS = 3_600_000_000L;

    /**
     * @param query the request's query parameters (first value of each counts)
     * @param maxSize the largest {@code size} (500 for pages; the export passes its own limit)
     */
    public static SearchParams parse(Tier tier, Map<String, List<String>> query, long nowMicros, int maxSize) {
        Function<String, String> get = name -> {
            List<String> v = query.get(name);
            String s = v == null || v.isEmpty() ? null : v.get(0);
            return s == null || s.isBlank() ? null : s.trim();
        };
        long to = TimeParam.parse("to", get.apply("to"), nowMicros, nowMicros);
        long from = TimeParam.parse("from", get.apply("from"), nowMicros, to - DEFAULT_RANGE_MICROS);
        if (from > to) {
            throw ApiErrors.badRequest("from must not be after to");
        }
        String ip = get.apply("ip");
        if (ip != null && !QuickSearch.isIp(ip)) {
            throw ApiErrors.badRequest("ip is neither an IP address nor a CIDR range: '" + ip + "'");
        }
        List<String> protocols = list(get.apply("protocol"), s -> s.toLowerCase(Locale.ROOT));
        if (tier == Tier.CALLS) {
            for (String only : List.of("protocol")) {
                if (get.apply(only) != null) {
                    throw ApiErrors.badRequest(only + " applies to the message search only");
                }
            }
        } else {
            for (String only : List.of("status", "cost_above", "fraud")) {
                if (get.apply(only) != null) {
                    throw ApiErrors.badRequest(only + " applies to the call search only");
                }
            }
        }
        String sort = get.apply("sort");
        String sortName = "time";
        boolean desc = true;
        if (sort != null) {
            int colon = sort.indexOf(':');
            sortName = (colon < 0 ? sort : sort.substring(0, colon)).trim();
            String order = colon < 0 ? "desc" : sort.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (!order.equals("asc") && !order.equals("desc")) {
                throw ApiErrors.badRequest("sort order must be asc or desc: '" + sort + "'");
            }
            desc = order.equals("desc");
            if (tier.sortField(sortName) == null) {
                throw ApiErrors.badRequest("cannot sort " + tier.name().toLowerCase(Locale.ROOT) + " by '" + sortName
                        + "'; one of " + tier.sortNames());
            }
        }
        int size = DEFAULT_SIZE;
        String sizeText = get.apply("size");
        if (sizeText != null) {
            size = integer("size", sizeText);
            if (size < 1 || size > maxSize) {
                throw ApiErrors.badRequest("size must be 1.." + maxSize + ": " + size);
            }
        }
        String fraud = get.apply("fraud");
        if (fraud != null && !fraud.equals("true") && !fraud.equals("false")) {
            throw ApiErrors.badRequest("fraud must be true or false: '" + fraud + "'");
        }
        return new SearchParams(tier, from, to, QuickSearch.of(get.apply("q")),
                list(get.apply("status"), s -> s.toUpperCase(Locale.ROOT)),
                list(get.apply("method"), s -> s.toUpperCase(Locale.ROOT)),
                list(get.apply("code"), s -> integer("code", s)),
                get.apply("caller"), get.apply("callee"), ip, get.apply("node"),
                list(get.apply("capture_id"), s -> (long) integer("capture_id", s)),
                get.apply("domain"), get.apply("ua"), decimal("mos_below", get.apply("mos_below")),
                decimal("cost_above", get.apply("cost_above")), fraud == null ? null : Boolean.valueOf(fraud),
                protocols, sortName, desc, size, get.apply("after"));
    }

    private static <T> List<T> list(String text, Function<String, T> each) {
        List<T> out = new ArrayList<>();
        if (text != null) {
            for (String s : text.split(",")) {
                if (!s.isBlank()) {
                    out.add(each.apply(s.trim()));
                }
            }
        }
        return out;
    }

    private static int integer(String name, String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw ApiErrors.badRequest(name + " must be a whole number: '" + s + "'");
        }
    }

    private static Double decimal(String name, String s) {
        if (s == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw ApiErrors.badRequest(name + " must be a number: '" + s + "'");
        }
    }

    /** The sort as the cursor records it ({@code time:desc}). */
    public String sortText() {
        return sortName + (sortDesc ? ":desc" : ":asc");
    }
}
