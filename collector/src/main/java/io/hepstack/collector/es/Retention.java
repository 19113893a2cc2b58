package io.hepstack.collector.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the disk from filling up: deletes the daily indices {@code hep-<family>-YYYY.MM.DD} older
 * than their family's retention, in embedded and external mode alike (the collector does it, so it
 * works the same on every cluster, with or without ILM, and on the indices it already wrote).
 *
 * <p>"Keep N days" means an index is deleted once its day is more than N days before today (UTC):
 * with N = 7 on 2026-12-08, {@code hep-sip-2026.12.01} stays and {@code hep-sip-2026.11.30} goes, so
 * at least the last N full days are always there. Families without a setting use the default; an
 * index whose name is not ours (no family we know, no date) is never touched. Indices are named one
 * by one (Elasticsearch 8 refuses wildcard deletes by default, and we want that).
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final Pattern DAILY = Pattern.compile("hep-([a-z0-9]+)-(\\d{4}\\.\\d{2}\\.\\d{2})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");

    private final RestClient client;
    private final ObjectMapper mapper;
    private final Map<String, Integer> days;
    private final int defaultDays;

    /**
     * @param days        days to keep per family ({@code sip} → 7)
     * @param defaultDays days to keep for one of {@code families} without a setting
     */
    public Retention(RestClient client, ObjectMapper mapper, Map<String, Integer> days, int defaultDays) {
        if (defaultDays < 1 || days.values().stream().anyMatch(d -> d == null || d < 1)) {
            throw new IllegalArgumentException("retention days must be at least 1: " + days + ", default " + defaultDays);
        }
        this.client = client;
        this.mapper = mapper;
        this.days = Map.copyOf(days);
        this.defaultDays = defaultDays;
    }

    /** The daily indices of {@code existing} that are past their retention on {@code today}. */
    public List<String> expired(List<String> existing, LocalDate today, List<String> families) {
        List<String> out = new ArrayList<>();
        for (String index : existing) {
            Matcher m = DAILY.matcher(index);
            if (!m.matches() || !families.contains(m.group(1))) {
                continue;
            }
            LocalDate day;
            try {
                day = LocalDate.parse(m.group(2), DAY);
            } catch (DateTimeParseException e) {
                continue;
            }
            int keep = days.getOrDefault(m.group(1), defaultDays);
            if (day.isBefore(today.minusDays(keep))) {
                out.add(index);
            }
        }
        out.sort(null);
        return out;
    }

    /** Deletes the expired daily indices of {@code families}; returns their names. */
    public List<String> run(LocalDate today, List<String> families) throws IOException {
        List<String> expired = expired(list(), today, families);
        for (String index : expired) {
            client.performRequest(new Request("DELETE", "/" + index));
            LOG.info("retention: deleted {} (older than {} days)", index, days.getOrDefault(family(index), defaultDays));
        }
        return expired;
    }

    private static String family(String index) {
        Matcher m = DAILY.matcher(index);
        return m.matches() ? m.group(1) : index;
    }

    private List<String> list() throws IOException {
        Request r = new Request("GET", "/_cat/indices/hep-*");
        r.addParameter("format", "json");
        r.addParameter("h", "index");
        r.addParameter("expand_wildcards", "open,closed");
        List<String> names = new ArrayList<>();
        try (InputStream in = client.performRequest(r).getEntity().getContent()) {
            for (JsonNode row : mapper.readTree(in)) {
                names.add(row.path("index").asText());
            }
        }
        return names;
    }
}
