package io.hepstack.collector.api.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.api.TimeParam;
import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Search parameters → Elasticsearch query (see SearchApiIT for what Elasticsearch makes of them). */
class SearchQueriesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long NOW = TimeParam.micros(java.time.Instant.parse("2026-01-01T12:00:00Z"));

    private static SearchParams params(Tier tier, String... kv) {
        Map<String, List<String>> q = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            q.put(kv[i], List.of(kv[i + 1]));
        }
        return SearchParams.parse(tier, q, NOW, SearchParams.MAX_SIZE);
    }

    private static JsonNode filters(SearchParams p) {
        return new SearchQueries(MAPPER).query(p, List.of("fraud@x")).path("bool").path("filter");
    }

    private static JsonNode json(String s) throws IOException {
        return MAPPER.readTree(s);
    }

    @Test
    void timesAreRelativeAbsoluteOrEpochMillis() {
        SearchParams p = params(Tier.CALLS);
        assertThat(p.toMicros()).isEqualTo(NOW);
        assertThat(p.fromMicros()).as("default: the last hour").isEqualTo(NOW - 3_600_000_000L);
        assertThat(params(Tier.CALLS, "from", "now-15m").fromMicros()).isEqualTo(NOW - 900_000_000L);
        assertThat(params(Tier.CALLS, "from", "2026-01-01T10:00:00.123456Z", "to", "1767268800000").fromMicros())
                .isEqualTo(TimeParam.micros(java.time.Instant.parse("2026-01-01T10:00:00.123456Z")));
        JsonNode range = filters(params(Tier.CALLS, "from", "now-1h")).get(0).path("range").path("@timestamp");
        assertThat(range.path("gte").asText()).isEqualTo("2026-01-01T11:00:00.000000Z");
        assertThat(range.path("lte").asText()).isEqualTo("2026-01-01T12:00:00.000000Z");
    }

    @Test
    void eachQuickSearchKindLooksInItsFields() throws IOException {
        assertThat(filters(params(Tier.CALLS, "q", "abc@host")).get(1)).isEqualTo(json("""
                {"bool":{"should":[{"terms":{"tdr.call_id":["abc@host"]}},{"terms":{"tdr.call_ids":["abc@host"]}},
                {"terms":{"tdr.linked_call_ids":["abc@host"]}}],"minimum_should_match":1}}"""));
        assertThat(filters(params(Tier.MESSAGES, "q", "abc@host")).get(1).path("bool").path("should").get(0))
                .isEqualTo(json("{\"terms\":{\"sip.call_id\":[\"abc@host\"]}}"));
        JsonNode number = filters(params(Tier.CALLS, "q", "+44 20 7946 0123")).get(1).path("bool").path("should");
        assertThat(number).hasSize(6);
        assertThat(number.get(1)).isEqualTo(json("{\"terms\":{\"tdr.caller.number.e164\":[\"+442079460123\",\"442079460123\"]}}"));
        assertThat(filters(params(Tier.MESSAGES, "q", "10.0.0.0/8")).get(1).path("bool").path("should").get(1))
                .isEqualTo(json("{\"terms\":{\"destination.ip\":[\"10.0.0.0/8\"]}}"));
        JsonNode text = filters(params(Tier.MESSAGES, "q", "Busy*Here")).get(1).path("bool").path("should");
        assertThat(text.get(0)).isEqualTo(json("{\"wildcard\":{\"sip.call_id\":{\"value\":\"*Busy\\\\*Here*\",\"case_insensitive\":true}}}"));
        assertThat(text.get(text.size() - 1)).isEqualTo(json("{\"match\":{\"payload.text\":{\"query\":\"Busy*Here\",\"operator\":\"and\"}}}"));
    }

    /** A lean response leaves out its code's registered reason phrase: free text finds it by the codes whose phrase has the text. */
    @Test
    void freeTextFindsALeanResponseByTheCodesWhosePhraseHasTheText() throws IOException {
        JsonNode text = filters(params(Tier.MESSAGES, "q", "busy")).get(1).path("bool").path("should");
        assertThat(text.get(text.size() - 1)).isEqualTo(json("""
                {"bool":{"filter":[{"terms":{"sip.code":[486,600]}}],"must_not":[{"exists":{"field":"sip.status"}}]}}"""));
        JsonNode none = filters(params(Tier.MESSAGES, "q", "kamailio")).get(1).path("bool").path("should");
        assertThat(none.get(none.size() - 1).has("match")).as("no phrase has it").isTrue();
        JsonNode calls = filters(params(Tier.CALLS, "q", "busy")).get(1).path("bool").path("should");
        assertThat(calls.toString()).as("TDRs keep their status").doesNotContain("sip.code");
    }

    @Test
    void filtersOfBothTiers() throws IOException {
        JsonNode f = filters(params(Tier.CALLS, "status", "finished,user_busy", "code", "486", "caller", "+4930901820",
                "node", "sbc-1", "capture_id", "2001", "mos_below", "3.5", "cost_above", "0.5", "fraud", "true",
                "method", "invite"));
        assertThat(f.get(1)).isEqualTo(json("{\"terms\":{\"tdr.status\":[\"FINISHED\",\"USER_BUSY\"]}}"));
        assertThat(f.get(2)).isEqualTo(json("{\"terms\":{\"tdr.messages.methods\":[\"INVITE\"]}}"));
        assertThat(f.get(3)).isEqualTo(json("{\"terms\":{\"tdr.final_code\":[486]}}"));
        assertThat(f.get(4).path("bool").path("should").get(0)).isEqualTo(json("{\"terms\":{\"tdr.caller.user\":[\"+4930901820\",\"4930901820\"]}}"));
        assertThat(f.get(5)).isEqualTo(json("{\"terms\":{\"tdr.nodes\":[\"sbc-1\"]}}"));
        assertThat(f.get(6).toString()).isEqualTo("{\"terms\":{\"tdr.capture_ids\":[2001]}}");
        assertThat(f.get(7)).isEqualTo(json("{\"range\":{\"qos.mos\":{\"lt\":3.5}}}"));
        assertThat(f.get(8)).isEqualTo(json("{\"range\":{\"rating.cost\":{\"gt\":0.5}}}"));
        assertThat(f.get(9)).isEqualTo(json("{\"terms\":{\"tdr.call_id\":[\"fraud@x\"]}}"));
        JsonNode m = filters(params(Tier.MESSAGES, "protocol", "sip,rtcp", "code", "200", "method", "BYE", "ua", "friendly"));
        assertThat(m.get(1)).isEqualTo(json("""
                {"bool":{"should":[{"terms":{"sip.method":["BYE"]}},{"terms":{"sip.cseq.method":["BYE"]}}],"minimum_should_match":1}}"""));
        assertThat(m.get(2)).isEqualTo(json("{\"terms\":{\"sip.code\":[200]}}"));
        assertThat(m.get(3).path("bool").path("should").get(0).path("wildcard").path("sip.user_agent.original").path("value").asText())
                .isEqualTo("*friendly*");
        assertThat(m.get(4)).isEqualTo(json("{\"terms\":{\"event.dataset\":[\"hep.sip\",\"hep.rtcp\"]}}"));
        JsonNode notFraud = new SearchQueries(MAPPER).query(params(Tier.CALLS, "fraud", "false"), List.of("f@x"));
        assertThat(notFraud.path("bool").path("must_not").get(0)).isEqualTo(json("{\"terms\":{\"tdr.call_id\":[\"f@x\"]}}"));
    }

    @Test
    void sortingByAnyColumnKeepsTimeAsTieBreak() throws IOException {
        SearchQueries q = new SearchQueries(MAPPER);
        assertThat(q.sort(params(Tier.CALLS))).isEqualTo(json("""
                [{"@timestamp":{"order":"desc","missing":"_last","unmapped_type":"date_nanos"}}]"""));
        assertThat(q.sort(params(Tier.MESSAGES, "sort", "code:asc"))).isEqualTo(json("""
                [{"sip.code":{"order":"asc","missing":"_last","unmapped_type":"short"}},{"@timestamp":{"order":"desc"}}]"""));
    }

    @Test
    void badParametersNameThemselves() {
        assertBad(() -> params(Tier.CALLS, "from", "yesterday"), "from is neither ISO-8601");
        assertBad(() -> params(Tier.CALLS, "from", "now", "to", "now-1h"), "from must not be after to");
        assertBad(() -> params(Tier.CALLS, "size", "501"), "size must be 1..500: 501");
        assertBad(() -> params(Tier.CALLS, "sort", "colour:asc"), "cannot sort calls by 'colour'");
        assertBad(() -> params(Tier.CALLS, "sort", "time:up"), "sort order must be asc or desc");
        assertBad(() -> params(Tier.CALLS, "ip", "10.1.1"), "ip is neither an IP address");
        assertBad(() -> params(Tier.CALLS, "code", "OK"), "code must be a whole number");
        assertBad(() -> params(Tier.CALLS, "mos_below", "NaN"), "mos_below must be a number");
        assertBad(() -> params(Tier.CALLS, "protocol", "sip"), "protocol applies to the message search only");
        assertBad(() -> params(Tier.MESSAGES, "fraud", "true"), "fraud applies to the call search only");
    }

    @Test
    void cursorsRoundTripAndBelongToTheirSearch() {
        Cursor c = new Cursor("pit-1", MAPPER.createArrayNode().add(1767225600000000000L).add(7), "CALLS", "time:desc", 123, "eq");
        String text = c.encode(MAPPER);
        assertThat(text).matches("[A-Za-z0-9_-]+");
        assertThat(Cursor.decode(MAPPER, text, Tier.CALLS, "time:desc")).isEqualTo(c);
        assertBad(() -> Cursor.decode(MAPPER, text, Tier.MESSAGES, "time:desc"), "after belongs to another search");
        assertBad(() -> Cursor.decode(MAPPER, text, Tier.CALLS, "time:asc"), "after belongs to another search");
        assertBad(() -> Cursor.decode(MAPPER, "not a cursor!", Tier.CALLS, "time:desc"), "after is not a cursor");
        assertBad(() -> Cursor.decode(MAPPER, "e30", Tier.CALLS, "time:desc"), "after is not a cursor");
    }

    private static void assertBad(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOf(WebApplicationException.class)
                .satisfies(e -> {
                    WebApplicationException w = (WebApplicationException) e;
                    assertThat(w.getResponse().getStatus()).isEqualTo(400);
                    assertThat(w.getMessage()).contains(message);
                });
    }
}
