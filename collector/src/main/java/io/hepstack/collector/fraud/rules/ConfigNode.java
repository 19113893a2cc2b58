package io.hepstack.collector.fraud.rules;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.hepstack.enricher.reload.LoadException;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A YAML/JSON value that remembers its line, so every validation error can name file and line.
 * Read with Jackson's streaming parser (a data-bound tree would lose the locations).
 */
final class ConfigNode {

    enum Kind { MAP, LIST, SCALAR, NULL }

    private final Path file;
    private final Kind kind;
    private final int line;
    private final Map<String, ConfigNode> map;
    private final List<ConfigNode> list;
    private final String text;

    private ConfigNode(Path file, Kind kind, int line, Map<String, ConfigNode> map, List<ConfigNode> list, String text) {
        this.file = file;
        this.kind = kind;
        this.line = line;
        this.map = map;
        this.list = list;
        this.text = text;
    }

    static ConfigNode read(Path file, JsonFactory factory) throws LoadException {
        try (JsonParser p = factory.createParser(file.toFile())) {
            if (p.nextToken() == null) {
                return new ConfigNode(file, Kind.MAP, 1, Map.of(), null, null);
            }
            ConfigNode root = readValue(p, file);
            if (p.nextToken() != null) {
                throw new LoadException(file, line(p), "more than one document");
            }
            return root;
        } catch (JsonProcessingException e) {
            int l = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new LoadException(file, Math.max(l, 0), "syntax error: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new LoadException(file, 0, "cannot read: " + e, e);
        }
    }

    private static ConfigNode readValue(JsonParser p, Path file) throws IOException, LoadException {
        int line = line(p);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, ConfigNode> m = new LinkedHashMap<>();
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String name = p.currentName();
                    int keyLine = line(p);
                    p.nextToken();
                    ConfigNode v = readValue(p, file);
                    if (m.put(name, v) != null) {
                        throw new LoadException(file, keyLine, "duplicate key '" + name + "'");
                    }
                }
                return new ConfigNode(file, Kind.MAP, line, m, null, null);
            }
            case START_ARRAY -> {
                List<ConfigNode> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(readValue(p, file));
                }
                return new ConfigNode(file, Kind.LIST, line, null, l, null);
            }
            case VALUE_NULL -> {
                return new ConfigNode(file, Kind.NULL, line, null, null, null);
            }
            default -> {
                return new ConfigNode(file, Kind.SCALAR, line, null, null, p.getText());
            }
        }
    }

    private static int line(JsonParser p) {
        return Math.max(p.currentTokenLocation().getLineNr(), 0);
    }

    Path file() {
        return file;
    }

    int line() {
        return line;
    }

    boolean isMap() {
        return kind == Kind.MAP;
    }

    LoadException error(String reason) {
        return new LoadException(file, line, reason);
    }

    /** A map's entries; throws when this is not a map. */
    Map<String, ConfigNode> entries(String what) throws LoadException {
        if (kind == Kind.NULL) {
            return Map.of();
        }
        if (kind != Kind.MAP) {
            throw error(what + " must be a mapping");
        }
        return Collections.unmodifiableMap(map);
    }

    List<ConfigNode> items(String what) throws LoadException {
        if (kind == Kind.NULL) {
            return List.of();
        }
        if (kind != Kind.LIST) {
            throw error(what + " must be a list");
        }
        return list;
    }

    /** Rejects keys outside {@code allowed}, naming the line of the unknown one (catches typos). */
    void allowOnly(String what, Set<String> allowed) throws LoadException {
        for (Map.Entry<String, ConfigNode> e : entries(what).entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw e.getValue().error("unknown key '" + e.getKey() + "' in " + what + " (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    ConfigNode get(String key) {
        return kind == Kind.MAP ? map.get(key) : null;
    }

    /** Scalar text, or null for a null value; throws for a list or map. */
    String text(String what) throws LoadException {
        if (kind == Kind.NULL) {
            return null;
        }
        if (kind != Kind.SCALAR) {
            throw error(what + " must be a single value");
        }
        return text;
    }

    String string(String key, String def) throws LoadException {
        ConfigNode n = get(key);
        String v = n == null ? null : n.text(key);
        return v == null ? def : v;
    }

    boolean bool(String key, boolean def) throws LoadException {
        ConfigNode n = get(key);
        String v = n == null ? null : n.text(key);
        if (v == null) {
            return def;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw n.error(key + " must be true or false: '" + v + "'");
        };
    }

    long integer(String key, long def, long min, long max) throws LoadException {
        ConfigNode n = get(key);
        String v = n == null ? null : n.text(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        long x;
        try {
            x = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw n.error(key + " must be a whole number: '" + v + "'");
        }
        if (x < min || x > max) {
            throw n.error(key + " must be " + min + ".." + max + ": " + x);
        }
        return x;
    }

    double number(String key, double def) throws LoadException {
        BigDecimal d = decimal(key);
        return d == null ? def : d.doubleValue();
    }

    BigDecimal decimal(String key) throws LoadException {
        ConfigNode n = get(key);
        String v = n == null ? null : n.text(key);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(v.trim());
            if (d.signum() < 0) {
                throw n.error(key + " must be >= 0: " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw n.error(key + " must be a number: '" + v + "'");
        }
    }

    /** A duration: whole seconds, or a number with s, m, h or d ("90s", "5m", "1h", "7d"). */
    long seconds(String key, long def) throws LoadException {
        ConfigNode n = get(key);
        String v = n == null ? null : n.text(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        String t = v.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 's' || last == 'm' || last == 'h' || last == 'd') {
            unit = switch (last) {
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86_400;
                default -> 1;
            };
            t = t.substring(0, t.length() - 1).trim();
        }
        try {
            long x = Long.parseLong(t);
            if (x <= 0) {
                throw n.error(key + " must be > 0: '" + v + "'");
            }
            return Math.multiplyExact(x, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw n.error(key + " must be a duration such as 30s, 5m, 1h or 7d: '" + v + "'");
        }
    }

    /** A list of scalars; a single scalar counts as a one-element list. */
    List<String> strings(String key) throws LoadException {
        ConfigNode n = get(key);
        if (n == null || n.kind == Kind.NULL) {
            return List.of();
        }
        if (n.kind == Kind.SCALAR) {
            return List.of(n.text);
        }
        List<String> out = new ArrayList<>();
        for (ConfigNode item : n.items(key)) {
            String v = item.text(key);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }
}
