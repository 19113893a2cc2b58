package io.hepstack.collector.protocol.sip;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable list of {@code ;name=value} parameters, in the order written. Names keep their
 * spelling and are looked up case-insensitively; a parameter without a value has the value
 * {@code ""}; quoted values are stored unquoted.
 */
final class Params {

    static final Params EMPTY = new Params(new String[0], 0);

    /** Names and values in one array, {@code name0, value0, name1, value1, ...}: one array per list, not two and a builder. */
    private final String[] pairs;
    private final int size;

    private Params(String[] pairs, int size) {
        this.pairs = pairs;
        this.size = size;
    }

    /** The value of {@code name} ({@code ""} when it has none), or null when absent. */
    String get(String name) {
        for (int i = 0; i < size; i++) {
            if (pairs[2 * i].equalsIgnoreCase(name)) {
                return pairs[2 * i + 1];
            }
        }
        return null;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Map<String, String> asMap() {
        if (size == 0) {
            return Collections.emptyMap();
        }
        Map<String, String> m = new LinkedHashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            m.putIfAbsent(pairs[2 * i], pairs[2 * i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    /**
     * {@code pairs} (holding {@code size} parameters, null before the first) with one more: made with
     * room for two at the first (most lists have one or two), doubled when full.
     */
    private static String[] add(String[] pairs, int size, String name, String value) {
        if (pairs == null) {
            pairs = new String[4];
        } else if (2 * size == pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[2 * size] = name;
        pairs[2 * size + 1] = value;
        return pairs;
    }

    private static Params of(String[] pairs, int size) {
        return size == 0 ? EMPTY : new Params(pairs, size);
    }

    /**
     * Header parameters: {@code *( LWS ";" LWS name [ LWS "=" LWS value ] )} where a value is a
     * token-like run, a quoted string or an IPv6 reference. Stops (without consuming) at the
     * first byte that does not start another parameter.
     */
    static Params consumeHeaderParams(SipReader r) throws SipParseException {
        String[] pairs = null;
        int size = 0;
        while (true) {
            int save = r.pos;
            r.consumeWs();
            if (!r.consume(';')) {
                r.pos = save;
                break;
            }
            r.consumeWs();
            int ns = r.pos;
            r.expectToken("parameter name");
            String name = r.string(ns, r.pos);
            String value = "";
            int beforeEq = r.pos;
            r.consumeWs();
            if (r.consume('=')) {
                r.consumeWs();
                value = consumeHeaderParamValue(r);
            } else {
                r.pos = beforeEq;
            }
            pairs = add(pairs, size++, name, value);
        }
        return of(pairs, size);
    }

    private static String consumeHeaderParamValue(SipReader r) throws SipParseException {
        int c = r.peek();
        if (c == '"') {
            return r.expectQuotedString();
        }
        int vs = r.pos;
        if (c == '[') {
            while (r.hasMore() && r.peek() != ']') {
                r.pos++;
            }
            r.expect(']');
            return r.string(vs, r.pos);
        }
        // token, host or any other run up to the next separator. Lenient on purpose: real stacks
        // put ':' '/' '@' '&' and even control bytes in tags; SipMessage reports control bytes
        while (r.hasMore()) {
            int v = r.peek();
            if (v == ';' || v == ',' || v == ' ' || v == '\t' || v == '\r' || v == '\n') {
                break;
            }
            r.pos++;
        }
        if (r.pos == vs) {
            throw r.error("expected parameter value but found " + SipReader.describe(r.peek()));
        }
        return r.string(vs, r.pos);
    }

    /**
     * URI parameters: {@code *( ";" name [ "=" value ] )}, no white space. {@code stops} tells
     * which bytes end the URI.
     */
    static Params consumeUriParams(SipReader r, boolean[] stops) throws SipParseException {
        String[] pairs = null;
        int size = 0;
        while (r.consume(';')) {
            int ns = r.pos;
            while (r.hasMore() && isParamChar(r.peek(), stops) && r.peek() != '=') {
                r.pos++;
            }
            if (r.pos == ns) {
                throw r.error("expected URI parameter name but found " + SipReader.describe(r.peek()));
            }
            String name = r.string(ns, r.pos);
            String value = "";
            if (r.consume('=')) {
                int vs = r.pos;
                while (r.hasMore() && isParamChar(r.peek(), stops)) {
                    r.pos++;
                }
                value = r.string(vs, r.pos);
            }
            pairs = add(pairs, size++, name, value);
        }
        return of(pairs, size);
    }

    private static boolean isParamChar(int c, boolean[] stops) {
        return c > 0x20 && c != 0x7f && c != ';' && c != '?' && c != '"' && c != '<' && !stops[c];
    }
}
