package io.hepstack.tools.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The part of Watcher's mustache the hepstack action texts use, strict: {{a.b.0.c}} variables,
 * {{#x}}..{{/x}} sections over lists, maps and booleans, {{^x}} inverted sections, and Watcher's
 * {{#toJson}}path{{/toJson}}. A name that resolves to nothing fails the test, so a typo in a path
 * is caught instead of rendering as an empty string.
 */
final class MiniMustache {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MiniMustache() {
    }

    static String render(String template, Map<String, Object> model) {
        Deque<Object> stack = new ArrayDeque<>();
        stack.push(model);
        StringBuilder out = new StringBuilder();
        render(template, stack, out);
        return out.toString();
    }

    private static void render(String t, Deque<Object> stack, StringBuilder out) {
        int from = 0;
        while (true) {
            int open = t.indexOf("{{", from);
            if (open < 0) {
                out.append(t, from, t.length());
                return;
            }
            out.append(t, from, open);
            int close = t.indexOf("}}", open);
            if (close < 0) {
                throw new AssertionError("unclosed {{ in " + t);
            }
            String tag = t.substring(open + 2, close).trim();
            from = close + 2;
            char kind = tag.charAt(0);
            if (kind == '#' || kind == '^') {
                String name = tag.substring(1).trim();
                String end = "{{/" + name + "}}";
                int endAt = matchingEnd(t, name, from);
                String inner = t.substring(from, endAt);
                from = endAt + end.length();
                if (kind == '#' && name.equals("toJson")) {
                    out.append(toJson(lookup(inner.trim(), stack)));
                    continue;
                }
                Object v = lookup(name, stack);
                boolean truthy = v != null && !Boolean.FALSE.equals(v) && !(v instanceof List<?> l && l.isEmpty());
                if (kind == '^') {
                    if (!truthy) {
                        render(inner, stack, out);
                    }
                } else if (v instanceof List<?> list) {
                    for (Object element : list) {
                        stack.push(element);
                        render(inner, stack, out);
                        stack.pop();
                    }
                } else if (truthy) {
                    stack.push(v);
                    render(inner, stack, out);
                    stack.pop();
                }
            } else if (kind == '/') {
                throw new AssertionError("unexpected " + tag + " in " + t);
            } else {
                Object v = lookup(tag, stack);
                out.append(v instanceof Map || v instanceof List ? toJson(v) : String.valueOf(v));
            }
        }
    }

    private static int matchingEnd(String t, String name, int from) {
        int depth = 1;
        int i = from;
        while (true) {
            int open = t.indexOf("{{", i);
            if (open < 0) {
                throw new AssertionError("section " + name + " is not closed in " + t);
            }
            int close = t.indexOf("}}", open);
            String tag = t.substring(open + 2, close).trim();
            if ((tag.startsWith("#") || tag.startsWith("^")) && tag.substring(1).trim().equals(name)) {
                depth++;
            } else if (tag.startsWith("/") && tag.substring(1).trim().equals(name) && --depth == 0) {
                return open;
            }
            i = close + 2;
        }
    }

    /** Like mustache: the first name is looked up from the innermost context out, the rest by path. */
    private static Object lookup(String name, Deque<Object> stack) {
        if (name.equals(".")) {
            return stack.peek();
        }
        String[] parts = name.split("\\.");
        for (Iterator<Object> it = stack.iterator(); it.hasNext(); ) {
            Object ctx = it.next();
            if (ctx instanceof Map<?, ?> m && m.containsKey(parts[0])) {
                Object v = WatchCondition.eval(name, ctx);
                if (v == null) {
                    throw new AssertionError("{{" + name + "}} resolves to nothing");
                }
                return v;
            }
        }
        throw new AssertionError("{{" + name + "}} is not in any context");
    }

    private static String toJson(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
