package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Objects;

/**
 * Evaluates a watch condition the way Elasticsearch Watcher does, for the condition types that need
 * no script: {@code always}, {@code never}, {@code compare} and {@code array_compare}. Paths are
 * dotted, start at the execution context ({@code ctx.payload...}, {@code ctx.metadata...}), step
 * into arrays by index, and a configured value of the form {@code {{path}}} is read from the
 * context too. Comparison is Watcher's lenient one: the configured value's type decides (a number
 * compares numerically, a string as text), and a missing side never orders.
 *
 * <p>Like Watcher, a path that indexes past the end of an array is an error, not a miss: that is
 * why hepstack's conditions use {@code array_compare} over bucket lists instead of
 * {@code buckets.0}.
 */
public final class WatchCondition {

    /** What a condition decided, with every path it read and the value found there. */
    public record Result(boolean met, String type, Map<String, Object> resolved) {
    }

    /** A condition this evaluator cannot run (a script, date math, an unknown type or operator). */
    public static final class UnsupportedConditionException extends IllegalArgumentException {
        public UnsupportedConditionException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private WatchCondition() {
    }

    /** {@link #model(String, JsonNode, JsonNode, Instant)} executed now. */
    public static Map<String, Object> model(String watchId, JsonNode metadata, JsonNode payload) {
        return model(watchId, metadata, payload, Instant.now());
    }

    /**
     * The context model of one execution: {@code ctx.watch_id}, {@code ctx.execution_time},
     * {@code ctx.metadata}, {@code ctx.payload} (the search response as Watcher would have it).
     */
    public static Map<String, Object> model(String watchId, JsonNode metadata, JsonNode payload, Instant executionTime) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("watch_id", watchId);
        ctx.put("execution_time", executionTime.toString());
        ctx.put("metadata", plain(metadata));
        ctx.put("payload", plain(payload));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("ctx", ctx);
        return model;
    }

    public static Result evaluate(JsonNode condition, Map<String, Object> model) {
        if (condition == null || !condition.isObject() || condition.size() != 1) {
            throw new UnsupportedConditionException("a condition is an object with exactly one type: " + condition);
        }
        Entry<String, JsonNode> only = condition.fields().next();
        String type = only.getKey();
        JsonNode spec = only.getValue();
        Map<String, Object> resolved = new LinkedHashMap<>();
        return switch (type) {
            case "always" -> new Result(true, type, resolved);
            case "never" -> new Result(false, type, resolved);
            case "compare" -> compare(spec, model, resolved);
            case "array_compare" -> arrayCompare(spec, model, resolved);
            default -> throw new UnsupportedConditionException("condition type '" + type + "' cannot be evaluated without Watcher");
        };
    }

    private static Result compare(JsonNode spec, Map<String, Object> model, Map<String, Object> resolved) {
        Entry<String, JsonNode> e = single(spec, "compare");
        String path = e.getKey();
        Entry<String, JsonNode> opAndValue = single(e.getValue(), "compare." + path);
        Op op = Op.of(opAndValue.getKey());
        Object configured = configuredValue(plain(opAndValue.getValue()), model, resolved);
        Object actual = eval(path, model);
        resolved.put(path, actual);
        return new Result(op.eval(actual, configured), "compare", resolved);
    }

    private static Result arrayCompare(JsonNode spec, Map<String, Object> model, Map<String, Object> resolved) {
        Entry<String, JsonNode> e = single(spec, "array_compare");
        String arrayPath = e.getKey();
        String path = "";
        Op op = null;
        Object value = null;
        boolean all = false;
        for (Iterator<Entry<String, JsonNode>> it = e.getValue().fields(); it.hasNext(); ) {
            Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("path")) {
                path = f.getValue().asText();
                continue;
            }
            op = Op.of(f.getKey());
            value = plain(f.getValue().path("value"));
            String quantifier = f.getValue().path("quantifier").asText("some").toLowerCase(Locale.ROOT);
            if (!quantifier.equals("some") && !quantifier.equals("all")) {
                throw new UnsupportedConditionException("unknown array_compare quantifier: " + quantifier);
            }
            all = quantifier.equals("all");
        }
        if (op == null) {
            throw new UnsupportedConditionException("array_compare." + arrayPath + " has no comparison operator");
        }
        Object configured = configuredValue(value, model, resolved);
        Object array = eval(arrayPath, model);
        if (array != null && !(array instanceof List)) {
            throw new IllegalStateException("array path " + arrayPath + " did not evaluate to array, was " + array);
        }
        List<?> elements = array == null ? List.of() : (List<?>) array;
        List<Object> values = new ArrayList<>(elements.size());
        for (Object element : elements) {
            values.add(eval(path, element));
        }
        resolved.put(arrayPath, elements);
        boolean met = all;
        for (Object v : values) {
            Integer c = compare(v, configured);
            boolean ok = c != null && op.orders(c);
            if (all && !ok) {
                met = false;
                break;
            }
            if (!all && ok) {
                met = true;
                break;
            }
        }
        return new Result(met, "array_compare", resolved);
    }

    private static Object configuredValue(Object configured, Map<String, Object> model, Map<String, Object> resolved) {
        if (configured instanceof String s) {
            if (s.startsWith("<{") && s.endsWith("}>")) {
                throw new UnsupportedConditionException("date math values are not supported: " + s);
            }
            if (s.length() > 4 && s.startsWith("{{") && s.endsWith("}}")) {
                String path = s.substring(2, s.length() - 2);
                Object v = eval(path, model);
                resolved.put(path, v);
                return v;
            }
        }
        return configured;
    }

    /** Watcher's ObjectPath: dotted steps into maps and, by index, lists; null when a step is missing. */
    static Object eval(String path, Object root) {
        Object ctx = root;
        if (path == null || path.isEmpty()) {
            return ctx;
        }
        for (String part : path.split("\\.")) {
            if (ctx == null) {
                return null;
            }
            if (ctx instanceof Map<?, ?> m) {
                ctx = m.get(part);
            } else if (ctx instanceof List<?> l) {
                int index;
                try {
                    index = Integer.parseInt(part);
                } catch (NumberFormatException nfe) {
                    return null;
                }
                ctx = l.get(index); // past the end throws, as in Watcher
            } else {
                return null;
            }
        }
        return ctx;
    }

    /**
     * Watcher's lenient comparison: 0 when equal, negative/positive when {@code v1} orders before/after
     * {@code v2}, null when they do not order. The configured value {@code v2} decides the type.
     */
    static Integer compare(Object v1, Object v2) {
        if (Objects.equals(v1, v2)) {
            return 0;
        }
        if (v1 == null || v2 == null) {
            return null;
        }
        if (isNaN(v1) || isNaN(v2)) {
            return null;
        }
        if (v2 instanceof Number n2) {
            double d1;
            if (v1 instanceof Number n1) {
                d1 = n1.doubleValue();
            } else {
                try {
                    d1 = Double.parseDouble(String.valueOf(v1));
                } catch (NumberFormatException nfe) {
                    return null;
                }
            }
            double d2 = n2.doubleValue();
            return d1 > d2 ? 1 : d1 < d2 ? -1 : 0;
        }
        if (v2 instanceof String s2) {
            return String.valueOf(v1).compareTo(s2);
        }
        // booleans, maps, lists: only equality, handled above
        return null;
    }

    private static boolean isNaN(Object v) {
        return (v instanceof Double d && d.isNaN()) || (v instanceof Float f && f.isNaN());
    }

    private static Entry<String, JsonNode> single(JsonNode node, String where) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new UnsupportedConditionException(where + " must be an object with exactly one field: " + node);
        }
        return node.fields().next();
    }

    private static Object plain(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        return PLAIN.convertValue(node, Object.class);
    }

    private enum Op {
        EQ, NOT_EQ, LT, LTE, GT, GTE;

        static Op of(String id) {
            try {
                return valueOf(id.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UnsupportedConditionException("unknown comparison operator: " + id);
            }
        }

        /** The compare condition's rule; NOT_EQ is also true when the values do not order. */
        boolean eval(Object actual, Object configured) {
            Integer c = compare(actual, configured);
            if (this == NOT_EQ) {
                return c == null || c != 0;
            }
            return c != null && orders(c);
        }

        boolean orders(int c) {
            return switch (this) {
                case EQ -> c == 0;
                case NOT_EQ -> c != 0;
                case LT -> c < 0;
                case LTE -> c <= 0;
                case GT -> c > 0;
                case GTE -> c >= 0;
            };
        }
    }
}
