package io.hepstack.collector.api.overview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.api.ApiErrors;
import io.hepstack.collector.api.SearchGuard;
import io.hepstack.collector.api.TimeParam;
import io.hepstack.collector.document.Timestamps;
import io.hepstack.collector.security.DataScope;
import io.hepstack.collector.security.Role;
import io.hepstack.collector.security.User;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * {@code GET /api/v1/overview?range=15m|1h|24h}: the live overview the home page polls every few
 * seconds, from the TDRs and alerts of the range (calls and registrations by their start):
 * <ul>
 * <li>{@code calls_in_progress}: call TDRs not final and still live, started in the last 24 h;</li>
 * <li>{@code calls_per_second}, {@code registrations_per_second}: started in the range / its seconds;</li>
 * <li>{@code asr}: answered (ANSWERED, still up, or FINISHED) / decided calls (answered or ended);</li>
 * <li>{@code ner}: decided calls that did not end in a network failure (HARD_FAILURE: 5xx/6xx
 * other than 600/603, or no answer to the INVITE) / decided calls;</li>
 * <li>{@code mos_avg} over calls with a MOS, {@code mos_worst} the lowest report;</li>
 * <li>top failing destinations (callee e.164, else user) and final codes ≥ 300, newest alerts,
 * and a series of calls and registrations per interval.</li>
 * </ul>
 * Two Elasticsearch searches, both with the user's scope.
 */
@Path("/api/v1/overview")
@Produces(MediaType.APPLICATION_JSON)
public final class OverviewResource {

    static final List<String> ANSWERED = List.of("ANSWERED", "FINISHED");
    static final List<String> UNDECIDED = List.of("INIT", "TRYING", "RINGING");
    static final Map<String, String[]> RANGES = Map.of(
            "15m", new String[]{"900", "30s"},
            "1h", new String[]{"3600", "1m"},
            "24h", new String[]{"86400", "30m"});

    private final SearchGuard es;
    private final ObjectMapper mapper;
    private final LongSupplier nowMicros;

    public OverviewResource(SearchGuard es) {
        this(es, TimeParam::nowMicros);
    }

    /** @param nowMicros the clock (tests give the time their data was made at) */
    public OverviewResource(SearchGuard es, LongSupplier nowMicros) {
        this.es = es;
        this.mapper = es.mapper();
        this.nowMicros = nowMicros;
    }

    @GET
    @RolesAllowed(Role.VIEWER_NAME)
    public ObjectNode overview(@QueryParam("range") String range, @Context SecurityContext sc) {
        String r = range == null || range.isBlank() ? "15m" : range.trim();
        String[] spec = RANGES.get(r);
        if (spec == null) {
            throw ApiErrors.badRequest("range must be 15m, 1h or 24h: '" + range + "'");
        }
        long seconds = Long.parseLong(spec[0]);
        long to = nowMicros.getAsLong();
        long from = to - seconds * 1_000_000L;
        DataScope scope = User.of(sc).scope();
        Timestamps ts = new Timestamps();
        JsonNode tdrs = es.search("hep-tdr-*", tdrQuery(ts.iso(from), ts.iso(to), ts.iso(to - 86_400_000_000L), spec[1], scope));
        JsonNode alerts = es.search("hep-alert-*", alertQuery(ts.iso(from), ts.iso(to), scope));
        JsonNode a = tdrs.path("aggregations");

        ObjectNode out = mapper.createObjectNode();
        out.put("range", r);
        out.put("from", ts.iso(from));
        out.put("to", ts.iso(to));
        out.put("calls_in_progress", a.path("in_progress").path("doc_count").asLong());
        JsonNode calls = a.path("in_range").path("calls");
        long started = calls.path("doc_count").asLong();
        long registrations = a.path("in_range").path("registrations").path("doc_count").asLong();
        out.put("calls", started);
        out.put("registrations", registrations);
        out.put("calls_per_second", round(started / (double) seconds, 4));
        out.put("registrations_per_second", round(registrations / (double) seconds, 4));
        long decided = calls.path("decided").path("doc_count").asLong();
        long answered = calls.path("decided").path("answered").path("doc_count").asLong();
        long networkFailures = calls.path("decided").path("network_failures").path("doc_count").asLong();
        ratio(out, "asr", answered, decided);
        ratio(out, "ner", decided - networkFailures, decided);
        value(out, "mos_avg", calls.path("mos_avg").path("value"), 2);
        JsonNode worst = calls.path("mos_worst").path("value");
        JsonNode worstAvg = calls.path("mos_worst_avg").path("value");
        value(out, "mos_worst", worst.isNumber() ? worst : worstAvg, 2);

        Map<String, Long> destinations = new TreeMap<>();
        calls.path("failed").path("by_e164").path("buckets").forEach(b -> destinations.merge(b.path("key").asText(), b.path("doc_count").asLong(), Long::sum));
        calls.path("failed").path("no_e164").path("by_user").path("buckets").forEach(b -> destinations.merge(b.path("key").asText(), b.path("doc_count").asLong(), Long::sum));
        ArrayNode top = out.putArray("top_failing_destinations");
        destinations.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10).forEach(e -> top.addObject().put("key", e.getKey()).put("count", e.getValue()));
        ArrayNode codes = out.putArray("top_codes");
        calls.path("failed").path("codes").path("buckets").forEach(b -> codes.addObject().put("code", b.path("key").asInt())
                .put("count", b.path("doc_count").asLong()));

        ArrayNode al = out.putArray("alerts");
        for (JsonNode h : alerts.path("hits").path("hits")) {
            JsonNode s = h.path("_source");
            ObjectNode o = al.addObject();
            long t = TimeParam.micros(s.path("@timestamp").asText(null));
            o.put("time", t == Long.MIN_VALUE ? null : ts.iso(t));
            o.put("rule", s.path("alert").path("rule").asText(null));
            o.put("severity", s.path("alert").path("severity").asText(null));
            o.put("summary", s.path("alert").path("message").asText(s.path("message").asText(null)));
            o.put("call_id", s.path("alert").path("call_id").asText(null));
        }
        ArrayNode series = out.putArray("series");
        for (JsonNode b : a.path("in_range").path("series").path("buckets")) {
            ObjectNode p = series.addObject();
            p.put("time", ts.iso(b.path("key").asLong() * 1000));
            p.put("calls", b.path("calls").path("doc_count").asLong());
            p.put("registrations", b.path("registrations").path("doc_count").asLong());
        }
        return out;
    }

    ObjectNode tdrQuery(String fromIso, String toIso, String dayAgoIso, String interval, DataScope scope) {
        ObjectNode body = mapper.createObjectNode();
        body.put("size", 0);
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.add(range(dayAgoIso, toIso));
        es.addScope(filter, scope, DataScope.Target.TDRS);
        ObjectNode aggs = body.putObject("aggs");

        ObjectNode progress = aggs.putObject("in_progress").putObject("filter").putObject("bool");
        ArrayNode pf = progress.putArray("filter");
        pf.addObject().putObject("term").put("tdr.type", "call");
        pf.addObject().putObject("term").put("tdr.final", false);
        pf.addObject().putObject("term").put("tdr.state", "live");

        ObjectNode inRange = aggs.putObject("in_range");
        inRange.set("filter", range(fromIso, toIso));
        ObjectNode sub = inRange.putObject("aggs");
        ObjectNode calls = sub.putObject("calls");
        calls.putObject("filter").putObject("term").put("tdr.type", "call");
        ObjectNode c = calls.putObject("aggs");
        ObjectNode decided = c.putObject("decided");
        terms(decided.putObject("filter").putObject("bool").putArray("must_not").addObject(), "tdr.status", UNDECIDED);
        ObjectNode d = decided.putObject("aggs");
        terms(d.putObject("answered").putObject("filter"), "tdr.status", ANSWERED);
        d.putObject("network_failures").putObject("filter").putObject("term").put("tdr.status", "HARD_FAILURE");
        c.putObject("mos_avg").putObject("avg").put("field", "qos.mos");
        c.putObject("mos_worst").putObject("min").put("field", "qos.mos_min");
        c.putObject("mos_worst_avg").putObject("min").put("field", "qos.mos");
        ObjectNode failed = c.putObject("failed");
        ObjectNode fb = failed.putObject("filter").putObject("bool");
        terms(fb.putArray("must_not").addObject(), "tdr.status", List.of("ANSWERED", "FINISHED", "INIT", "TRYING", "RINGING"));
        ObjectNode f = failed.putObject("aggs");
        f.putObject("by_e164").putObject("terms").put("field", "tdr.callee.number.e164").put("size", 10);
        ObjectNode noE164 = f.putObject("no_e164");
        noE164.putObject("filter").putObject("bool").putArray("must_not").addObject().putObject("exists").put("field", "tdr.callee.number.e164");
        noE164.putObject("aggs").putObject("by_user").putObject("terms").put("field", "tdr.callee.user").put("size", 10);
        f.putObject("codes").putObject("terms").put("field", "tdr.final_code").put("size", 10);

        ObjectNode regs = sub.putObject("registrations");
        regs.putObject("filter").putObject("term").put("tdr.type", "registration");

        ObjectNode series = sub.putObject("series");
        ObjectNode h = series.putObject("date_histogram");
        h.put("field", "@timestamp");
        h.put("fixed_interval", interval);
        h.put("min_doc_count", 0);
        h.putObject("extended_bounds").put("min", fromIso).put("max", toIso);
        ObjectNode sa = series.putObject("aggs");
        sa.putObject("calls").putObject("filter").putObject("term").put("tdr.type", "call");
        sa.putObject("registrations").putObject("filter").putObject("term").put("tdr.type", "registration");
        return body;
    }

    private ObjectNode alertQuery(String fromIso, String toIso, DataScope scope) {
        ObjectNode body = mapper.createObjectNode();
        body.put("size", 10);
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.add(range(fromIso, toIso));
        es.addScope(filter, scope, DataScope.Target.ALERTS);
        body.putArray("sort").addObject().putObject("@timestamp").put("order", "desc").put("unmapped_type", "date");
        return body;
    }

    private ObjectNode range(String fromIso, String toIso) {
        ObjectNode r = mapper.createObjectNode();
        ObjectNode t = r.putObject("range").putObject("@timestamp");
        t.put("gte", fromIso);
        t.put("lte", toIso);
        t.put("format", "strict_date_optional_time_nanos");
        return r;
    }

    private static void terms(ObjectNode clause, String field, List<String> values) {
        ArrayNode v = clause.putObject("terms").putArray(field);
        values.forEach(v::add);
    }

    private static void ratio(ObjectNode out, String name, long num, long den) {
        if (den == 0) {
            out.putNull(name);
        } else {
            out.put(name, round(num / (double) den, 4));
        }
    }

    private static void value(ObjectNode out, String name, JsonNode v, int digits) {
        if (v.isNumber()) {
            out.put(name, round(v.asDouble(), digits));
        } else {
            out.putNull(name);
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** Exposed for the OpenAPI document. */
    static List<String> ranges() {
        return new ArrayList<>(new TreeMap<>(RANGES).keySet());
    }
}
