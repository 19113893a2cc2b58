package io.hepstack.collector.fraud;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * De-duplication of alerts and the recent-alerts ring. An alert is open while its window lasts;
 * repeats update it (count + 1). A new alert is published at once, repeats at most once per update
 * interval, and the final count once more when the window closes.
 */
final class AlertBook {

    record Key(AlertRule rule, String parameter, String subject, Severity severity, long windowStartMicros) {
    }

    private static final class Open {
        Alert alert;
        long publishedCount;
        long publishedAtMicros;
    }

    private final LinkedHashMap<Key, Open> open = new LinkedHashMap<>();
    private final LinkedHashMap<String, Alert> recent = new LinkedHashMap<>();
    private int recentLimit = 1000;
    private int maxOpen = 100_000;
    private long updateMicros = 10_000_000L;
    private final long[][] created = new long[AlertRule.values().length][Severity.values().length];
    private long updates;

    void configure(int recentLimit, int maxOpen, long updateMicros) {
        this.recentLimit = recentLimit;
        this.maxOpen = maxOpen;
        this.updateMicros = updateMicros;
        trimRecent();
    }

    /**
     * Records one hit; versions to publish go to {@code out}. {@code fresh} is the alert as it would
     * be if new (count 1, id not yet computed: pass "").
     */
    void hit(Key key, Alert fresh, List<Alert> out) {
        Open o = open.get(key);
        long now = fresh.lastSeenMicros();
        if (o == null) {
            o = new Open();
            Alert a = new Alert(Alert.idFor(key.rule(), key.parameter(), key.subject(), key.severity(),
                    key.windowStartMicros()), fresh.timestampMicros(), fresh.lastSeenMicros(), fresh.rule(),
                    fresh.severity(), fresh.parameter(), fresh.value(), fresh.threshold(), fresh.subject(),
                    fresh.user(), fresh.calledNumber(), fresh.profileId(), fresh.ruleId(), fresh.callId(),
                    fresh.sourceIp(), fresh.windowStartMicros(), fresh.windowEndMicros(), 1, fresh.message());
            o.alert = a;
            open.put(key, o);
            created[key.rule().ordinal()][key.severity().ordinal()]++;
            publish(o, now, out);
            if (open.size() > maxOpen) {
                Iterator<Open> it = open.values().iterator();
                Open eldest = it.next();
                it.remove();
                if (eldest.alert.count() > eldest.publishedCount) {
                    out.add(eldest.alert);
                }
            }
            return;
        }
        o.alert = o.alert.hitAgain(now, fresh.value(), fresh.calledNumber(), fresh.callId(), fresh.message());
        updates++;
        recent.put(o.alert.id(), o.alert);
        if (now - o.publishedAtMicros >= updateMicros) {
            publish(o, now, out);
        }
    }

    /** Closes the windows that ended by {@code nowMicros}, publishing unpublished final counts. */
    void closeUpTo(long nowMicros, List<Alert> out) {
        Iterator<Open> it = open.values().iterator();
        while (it.hasNext()) {
            Open o = it.next();
            if (o.alert.windowEndMicros() <= nowMicros) {
                it.remove();
                if (o.alert.count() > o.publishedCount) {
                    out.add(o.alert);
                }
            }
        }
    }

    private void publish(Open o, long now, List<Alert> out) {
        o.publishedCount = o.alert.count();
        o.publishedAtMicros = now;
        recent.put(o.alert.id(), o.alert);
        trimRecent();
        out.add(o.alert);
    }

    private void trimRecent() {
        Iterator<String> it = recent.keySet().iterator();
        while (recent.size() > recentLimit && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** Newest first. */
    List<Alert> recent(int limit) {
        List<Alert> all = new ArrayList<>(recent.values());
        Collections.reverse(all);
        return all.size() <= limit ? all : new ArrayList<>(all.subList(0, limit));
    }

    /** An open alert as a checkpoint keeps it: its latest version, and how much of it was published when. */
    record Saved(Alert alert, long publishedCount, long publishedAtMicros) {
    }

    /** The open alerts, oldest first (for a checkpoint). */
    List<Saved> saveOpen() {
        List<Saved> out = new ArrayList<>(open.size());
        for (Open o : open.values()) {
            out.add(new Saved(o.alert, o.publishedCount, o.publishedAtMicros));
        }
        return out;
    }

    /** The recent alerts, oldest first (for a checkpoint). */
    List<Alert> saveRecent() {
        return new ArrayList<>(recent.values());
    }

    /**
     * Takes back what a checkpoint saved, so that an alert open before a restart is updated after it,
     * not raised again, and the recent list goes on. Replaces what the book holds.
     */
    void restore(List<Saved> savedOpen, List<Alert> savedRecent) {
        open.clear();
        recent.clear();
        for (Saved s : savedOpen) {
            Alert a = s.alert();
            Open o = new Open();
            o.alert = a;
            o.publishedCount = s.publishedCount();
            o.publishedAtMicros = s.publishedAtMicros();
            open.put(new Key(a.rule(), a.parameter(), a.subject(), a.severity(), a.windowStartMicros()), o);
        }
        for (Alert a : savedRecent) {
            recent.put(a.id(), a);
        }
        trimRecent();
    }

    int openCount() {
        return open.size();
    }

    long updates() {
        return updates;
    }

    /** New alerts by "rule/severity". */
    Map<String, Long> createdByRule() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (AlertRule r : AlertRule.values()) {
            for (Severity s : Severity.values()) {
                long n = created[r.ordinal()][s.ordinal()];
                if (n > 0) {
                    m.put(r.code() + "/" + s.code(), n);
                }
            }
        }
        return m;
    }
}
