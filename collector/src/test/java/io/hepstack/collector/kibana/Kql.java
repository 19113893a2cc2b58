package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Translates the KQL the panels use into the Elasticsearch query Kibana builds from it
 * ({@code @kbn/es-query}'s {@code toElasticsearchQuery}): {@code field : value} is a one-clause
 * {@code bool.should} of {@code match} ({@code match_phrase} when quoted, {@code query_string} when
 * it has a wildcard, {@code exists} for {@code *}), comparisons are {@code range}, and
 * {@code and}/{@code or}/{@code not} become {@code bool} filter/should/must_not. It covers the
 * grammar this project's panels use and rejects anything else, so a panel cannot silently rely on
 * syntax the test does not understand.
 */
final class Kql {

    /** One use of a field in a query, and how it is used. */
    record FieldUse(String field, Kind kind) {
    }

    enum Kind { MATCH, PHRASE, WILDCARD, EXISTS, RANGE }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String LUCENE_SPECIAL = "+-=&|><!(){}[]^\"~?:\\/ ";

    private final String text;
    private final List<FieldUse> uses = new ArrayList<>();
    private int pos;

    private Kql(String text) {
        this.text = text;
    }

    /** The Elasticsearch query for a KQL string ({@code match_all} for an empty one). */
    static JsonNode toQuery(String kql) {
        return parse(kql).query;
    }

    /** Every field the query names, with how it uses it. */
    static List<FieldUse> fields(String kql) {
        return parse(kql).parser.uses;
    }

    private record Parsed(Kql parser, JsonNode query) {
    }

    private static Parsed parse(String kql) {
        Kql p = new Kql(kql == null ? "" : kql);
        p.skipSpace();
        if (p.pos == p.text.length()) {
            return new Parsed(p, MAPPER.createObjectNode().set("match_all", MAPPER.createObjectNode()));
        }
        JsonNode q = p.or();
        p.skipSpace();
        if (p.pos != p.text.length()) {
            throw p.error("unexpected input");
        }
        return new Parsed(p, q);
    }

    private JsonNode or() {
        List<JsonNode> clauses = new ArrayList<>(List.of(and()));
        while (keyword("or")) {
            clauses.add(and());
        }
        return clauses.size() == 1 ? clauses.get(0) : bool("should", clauses, true);
    }

    private JsonNode and() {
        List<JsonNode> clauses = new ArrayList<>(List.of(not()));
        while (keyword("and")) {
            clauses.add(not());
        }
        return clauses.size() == 1 ? clauses.get(0) : bool("filter", clauses, false);
    }

    private JsonNode not() {
        if (keyword("not")) {
            ObjectNode q = MAPPER.createObjectNode();
            q.putObject("bool").set("must_not", not());
            return q;
        }
        return primary();
    }

    private JsonNode primary() {
        skipSpace();
        if (peek() == '(') {
            pos++;
            JsonNode q = or();
            expect(')');
            return q;
        }
        String field = token();
        skipSpace();
        for (String op : new String[]{"<=", ">=", "<", ">"}) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                skipSpace();
                String value = token();
                uses.add(new FieldUse(field, Kind.RANGE));
                String rangeOp = switch (op) {
                    case "<=" -> "lte";
                    case ">=" -> "gte";
                    case "<" -> "lt";
                    default -> "gt";
                };
                ObjectNode range = MAPPER.createObjectNode();
                range.putObject("range").putObject(field).put(rangeOp, value);
                return bool("should", List.of(range), true);
            }
        }
        expect(':');
        skipSpace();
        if (peek() == '(') {
            pos++;
            List<JsonNode> values = new ArrayList<>(List.of(value(field)));
            while (keyword("or")) {
                values.add(value(field));
            }
            expect(')');
            return values.size() == 1 ? values.get(0) : bool("should", values, true);
        }
        return value(field);
    }

    private JsonNode value(String field) {
        skipSpace();
        ObjectNode clause = MAPPER.createObjectNode();
        if (peek() == '"') {
            String v = quoted();
            uses.add(new FieldUse(field, Kind.PHRASE));
            clause.putObject("match_phrase").put(field, v);
            return bool("should", List.of(clause), true);
        }
        String v = token();
        if (v.equals("*")) {
            uses.add(new FieldUse(field, Kind.EXISTS));
            clause.putObject("exists").put("field", field);
            return clause;
        }
        if (v.indexOf('*') >= 0) {
            uses.add(new FieldUse(field, Kind.WILDCARD));
            ObjectNode qs = clause.putObject("query_string");
            qs.putArray("fields").add(field);
            qs.put("query", escapeExceptWildcard(v));
            return bool("should", List.of(clause), true);
        }
        uses.add(new FieldUse(field, Kind.MATCH));
        clause.putObject("match").put(field, v);
        return bool("should", List.of(clause), true);
    }

    private static String escapeExceptWildcard(String v) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (LUCENE_SPECIAL.indexOf(c) >= 0) {
                s.append('\\');
            }
            s.append(c);
        }
        return s.toString();
    }

    private static ObjectNode bool(String occur, List<JsonNode> clauses, boolean minimumShouldMatch) {
        ObjectNode q = MAPPER.createObjectNode();
        ObjectNode b = q.putObject("bool");
        ArrayNode a = b.putArray(occur);
        clauses.forEach(a::add);
        if (minimumShouldMatch) {
            b.put("minimum_should_match", 1);
        }
        return q;
    }

    /** An unquoted field name or value: up to whitespace or one of {@code ():<>"}. */
    private String token() {
        skipSpace();
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || "():<>\"".indexOf(c) >= 0) {
                break;
            }
            if (c == '\\' && pos + 1 < text.length()) {
                pos++;
            }
            pos++;
        }
        if (start == pos) {
            throw error("expected a field or a value");
        }
        String t = text.substring(start, pos);
        String lower = t.toLowerCase();
        if (lower.equals("and") || lower.equals("or") || lower.equals("not")) {
            throw error("a keyword where a field or value belongs");
        }
        return t;
    }

    private String quoted() {
        expect('"');
        StringBuilder s = new StringBuilder();
        while (pos < text.length() && text.charAt(pos) != '"') {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            }
            s.append(c);
        }
        expect('"');
        return s.toString();
    }

    private boolean keyword(String word) {
        skipSpace();
        int end = pos + word.length();
        if (end <= text.length() && text.regionMatches(true, pos, word, 0, word.length())
                && (end == text.length() || Character.isWhitespace(text.charAt(end)) || text.charAt(end) == '(')) {
            pos = end;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        skipSpace();
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at offset " + pos + " of KQL: " + text);
    }
}
