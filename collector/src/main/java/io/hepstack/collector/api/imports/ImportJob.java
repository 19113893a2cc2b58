package io.hepstack.collector.api.imports;

import java.util.Map;
import java.util.TreeMap;

/**
 * One pcap import's progress, read by {@code GET /api/v1/imports/{id}} while a background thread
 * updates it. {@code bytesRead} advances with the packets handed to the pipeline (the capture is
 * parsed first, then handed packet by packet), so it is a progress measure that ends at
 * {@code bytesTotal}.
 */
public final class ImportJob {

    public enum State { QUEUED, RUNNING, DONE, FAILED }

    private final String id;
    private final String name;
    private final long bytesTotal;
    private volatile State state = State.QUEUED;
    private volatile long bytesRead;
    private volatile long packets;
    private volatile long packetsTotal;
    private volatile long messages;
    private volatile long calls;
    private volatile String error;
    private final Map<String, Long> skipped = new TreeMap<>();

    ImportJob(String id, String name, long bytesTotal) {
        this.id = id;
        this.name = name;
        this.bytesTotal = bytesTotal;
    }

    public String id() {
        return id;
    }

    public State state() {
        return state;
    }

    void running(long packetsTotal) {
        this.packetsTotal = packetsTotal;
        this.state = State.RUNNING;
    }

    void handed(long packets, long messages, long calls) {
        this.packets = packets;
        this.messages = messages;
        this.calls = calls;
        this.bytesRead = packetsTotal == 0 ? bytesTotal : bytesTotal * packets / packetsTotal;
    }

    synchronized void skip(String reason, long n) {
        skipped.merge(reason, n, Long::sum);
    }

    void done() {
        bytesRead = bytesTotal;
        state = State.DONE;
    }

    void failed(String message) {
        error = message;
        state = State.FAILED;
    }

    /** The answer of the progress endpoint. */
    public synchronized Map<String, Object> toJson() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("state", state == State.QUEUED ? "running" : state.name().toLowerCase(java.util.Locale.ROOT));
        m.put("queued", state == State.QUEUED);
        m.put("bytes_total", bytesTotal);
        m.put("bytes_read", bytesRead);
        m.put("packets", packets);
        m.put("packets_total", packetsTotal);
        m.put("messages", messages);
        m.put("calls", calls);
        m.put("skipped", new TreeMap<>(skipped));
        m.put("error", error);
        return m;
    }
}
