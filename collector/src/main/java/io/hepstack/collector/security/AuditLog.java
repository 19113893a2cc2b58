package io.hepstack.collector.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.collector.document.IndexNames;
import io.hepstack.collector.document.Timestamps;
import io.hepstack.collector.index.DocumentSink;
import io.hepstack.collector.index.IndexRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.UUID;

/**
 * The audit trail: each {@link Entry} becomes a document in {@code hep-audit-YYYY.MM.DD} (through
 * the bulk indexer, so it waits in the spool while Elasticsearch is down) and a line on the logger
 * {@code hepstack.audit}. Entries hold no password, token or cookie: callers pass only names,
 * paths, query strings ({@link #cleanQuery} drops secret-looking parameters) and targets.
 */
public final class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger("hepstack.audit");
    private static final Logger SELF = LoggerFactory.getLogger(AuditLog.class);
    private static final JsonFactory JSON = new JsonFactory();
    static final String FAMILY = "audit";

    /**
     * One audited action.
     *
     * @param action  login, logout, search, call.open, message.open, export, import, reload, audit.read, admin.task, ...
     * @param outcome success, failure or denied
     * @param via     session, token, basic (admin port) or null (login)
     */
    public record Entry(String action, String outcome, String user, Role role, String address, String method,
                        String path, String query, int status, String target, String via) {
    }

    private final DocumentSink sink;
    private final Clock clock;
    // not thread-safe, and audits are rare: guarded by this
    private final IndexNames names = new IndexNames(FAMILY);
    private final Timestamps timestamps = new Timestamps();

    /** @param sink where the documents go; null: log lines only */
    public AuditLog(DocumentSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    public void record(Entry raw) {
        Entry e = new Entry(raw.action(), raw.outcome(), printable(raw.user()), raw.role(), raw.address(), raw.method(),
                printable(raw.path()), printable(raw.query()), raw.status(), printable(raw.target()), raw.via());
        LOG.info("action={} outcome={} user={} role={} address={} {} {}{} status={}{}", e.action(), e.outcome(),
                e.user(), e.role() == null ? "-" : e.role().id(), e.address(), e.method(), e.path(),
                e.query() == null || e.query().isEmpty() ? "" : "?" + e.query(), e.status(),
                e.target() == null ? "" : " target=" + e.target());
        if (sink == null) {
            return;
        }
        long micros = clock.millis() * 1000;
        IndexRequest request;
        synchronized (this) {
            request = IndexRequest.create(names.forMicros(micros), UUID.randomUUID().toString(), document(e, micros));
        }
        try {
            sink.accept(request);
        } catch (RuntimeException ex) { // the indexer is closing: the log line is the record
            SELF.warn("audit document not stored ({}): {}", ex.toString(), e.action());
        }
    }

    byte[] document(Entry e, long micros) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@timestamp", timestamps.iso(micros));
            g.writeObjectFieldStart("event");
            g.writeStringField("kind", "event");
            g.writeStringField("dataset", "hep.audit");
            g.writeStringField("action", e.action());
            g.writeStringField("outcome", e.outcome());
            g.writeNumberField("ingested", clock.millis());
            g.writeEndObject();
            if (e.user() != null) {
                g.writeObjectFieldStart("user");
                g.writeStringField("name", e.user());
                if (e.role() != null) {
                    g.writeStringField("roles", e.role().id());
                }
                g.writeEndObject();
            }
            if (e.address() != null) {
                g.writeObjectFieldStart("source");
                g.writeStringField("ip", e.address());
                g.writeEndObject();
            }
            g.writeObjectFieldStart("http");
            g.writeObjectFieldStart("request");
            g.writeStringField("method", e.method());
            g.writeEndObject();
            g.writeObjectFieldStart("response");
            g.writeNumberField("status_code", e.status());
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("url");
            g.writeStringField("path", e.path());
            if (e.query() != null && !e.query().isEmpty()) {
                g.writeStringField("query", e.query());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("audit");
            if (e.target() != null) {
                g.writeStringField("target", e.target());
            }
            if (e.via() != null) {
                g.writeStringField("via", e.via());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** No control characters (a user name with a line break must not forge a log line), at most 1024 chars. */
    static String printable(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 1024));
        for (int i = 0; i < s.length() && b.length() < 1024; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }

    /** A query string without parameters whose names suggest a secret (password, token, key, secret). */
    static String cleanQuery(String query) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        StringBuilder out = new StringBuilder(query.length());
        for (String part : query.split("&")) {
            String name = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
            String n = name.toLowerCase(java.util.Locale.ROOT);
            boolean secret = n.contains("pass") || n.contains("token") || n.contains("secret") || n.contains("key")
                    || n.contains("auth");
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(secret ? name + "=****" : part);
        }
        return out.length() > 2048 ? out.substring(0, 2048) : out.toString();
    }
}
