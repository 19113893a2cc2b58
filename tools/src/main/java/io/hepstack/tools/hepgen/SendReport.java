package io.hepstack.tools.hepgen;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link HepSender} run sent: packets by HEP type and by SIP method / status code, calls
 * and registrations by outcome (counted when their first packet was sent), bytes, send errors,
 * time and rate. Filled by one thread, read after the run.
 */
public final class SendReport {

    private final String target;
    private final double targetRate;
    private long packets;
    private long bytes;
    private long errors;
    private String firstError;
    private final long[] byType = new long[256];
    private final Map<String, Long> byLabel = new TreeMap<>(SendReport::labelOrder);
    private final Map<CallOutcome, Long> calls = new EnumMap<>(CallOutcome.class);
    private final Map<RegistrationOutcome, Long> registrations = new EnumMap<>(RegistrationOutcome.class);
    private long firstSendNanos = -1;
    private long lastSendNanos;
    private long elapsedNanos;
    private long maxLagNanos;
    private long firstHepMicros = -1;
    private long lastHepMicros = -1;
    private String stopReason = "";

    SendReport(String target, double targetRate) {
        this.target = target;
        this.targetRate = targetRate;
    }

    /** Requests by method first (alphabetically), then responses by code. */
    private static int labelOrder(String a, String b) {
        boolean da = Character.isDigit(a.charAt(0));
        boolean db = Character.isDigit(b.charAt(0));
        return da == db ? a.compareTo(b) : da ? 1 : -1;
    }

    void sent(TrafficPacket p, int size, long nanos) {
        packets++;
        bytes += size;
        byType[p.hep().protoType & 0xff]++;
        byLabel.merge(p.label(), 1L, Long::sum);
        if (p.callStart() != null) {
            calls.merge(p.callStart(), 1L, Long::sum);
        }
        if (p.registrationStart() != null) {
            registrations.merge(p.registrationStart(), 1L, Long::sum);
        }
        if (firstSendNanos < 0) {
            firstSendNanos = nanos;
        }
        lastSendNanos = nanos;
        long t = p.hep().timestampMicros();
        if (firstHepMicros < 0) {
            firstHepMicros = t;
        }
        lastHepMicros = t;
    }

    void failed(TrafficPacket p, Exception e) {
        errors++;
        if (firstError == null) {
            firstError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    void finish(long elapsedNanos, long maxLagNanos, String stopReason) {
        this.elapsedNanos = elapsedNanos;
        this.maxLagNanos = maxLagNanos;
        this.stopReason = stopReason;
    }

    /** Packets sent without an error. */
    public long packets() {
        return packets;
    }

    /** HEP bytes sent (the sum of packet sizes). */
    public long bytes() {
        return bytes;
    }

    /** Packets that could not be sent (not included in {@link #packets()}). */
    public long errors() {
        return errors;
    }

    public String firstError() {
        return firstError;
    }

    public long packetsOfType(int hepType) {
        return byType[hepType & 0xff];
    }

    /** Packets per label: SIP method, status code, "RTCP", "LOG". */
    public Map<String, Long> byLabel() {
        return java.util.Collections.unmodifiableMap(byLabel);
    }

    public long calls(CallOutcome o) {
        return calls.getOrDefault(o, 0L);
    }

    public long registrations(RegistrationOutcome o) {
        return registrations.getOrDefault(o, 0L);
    }

    public long elapsedNanos() {
        return elapsedNanos;
    }

    /**
     * The mean rate between the first and the last send, (packets − 1) / time, which is exactly
     * the target for a perfectly paced run; 0 with fewer than two packets.
     */
    public double achievedRate() {
        long span = lastSendNanos - firstSendNanos;
        return packets < 2 || span <= 0 ? 0 : (packets - 1) * 1e9 / span;
    }

    public long maxLagNanos() {
        return maxLagNanos;
    }

    public String stopReason() {
        return stopReason;
    }

    /** The summary as an ordered map (for JSON). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target);
        m.put("packets", packets);
        m.put("bytes", bytes);
        m.put("send_errors", errors);
        if (firstError != null) {
            m.put("first_error", firstError);
        }
        m.put("elapsed_s", round(elapsedNanos / 1e9, 3));
        m.put("rate_target", targetRate);
        m.put("rate_achieved", round(achievedRate(), 1));
        m.put("max_lag_ms", round(maxLagNanos / 1e6, 3));
        m.put("stopped_by", stopReason);
        Map<String, Long> types = new LinkedHashMap<>();
        for (int t = 0; t < byType.length; t++) {
            if (byType[t] > 0) {
                types.put(Integer.toString(t), byType[t]);
            }
        }
        m.put("hep_types", types);
        m.put("sip", new LinkedHashMap<>(byLabel));
        Map<String, Long> c = new LinkedHashMap<>();
        for (CallOutcome o : CallOutcome.values()) {
            c.put(o.key(), calls(o));
        }
        m.put("calls", c);
        Map<String, Long> r = new LinkedHashMap<>();
        for (RegistrationOutcome o : RegistrationOutcome.values()) {
            r.put(o.key(), registrations(o));
        }
        m.put("registrations", r);
        if (firstHepMicros >= 0) {
            m.put("first_hep_time", java.time.Instant.ofEpochSecond(0, firstHepMicros * 1000).toString());
            m.put("last_hep_time", java.time.Instant.ofEpochSecond(0, lastHepMicros * 1000).toString());
        }
        return m;
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    /** A human summary, one fact per line. */
    public String toText() {
        StringBuilder sb = new StringBuilder(512);
        sb.append(String.format(Locale.ROOT, "hepgen: %d packets (%d bytes) to %s in %.3f s, %.1f packets/s",
                packets, bytes, target, elapsedNanos / 1e9, achievedRate()));
        sb.append(targetRate > 0 ? String.format(Locale.ROOT, " (target %.1f)", targetRate) : " (unpaced)");
        sb.append(", stopped by ").append(stopReason).append('\n');
        sb.append("  send errors: ").append(errors);
        if (firstError != null) {
            sb.append(" (first: ").append(firstError).append(')');
        }
        sb.append(String.format(Locale.ROOT, ", max lag %.3f ms%n", maxLagNanos / 1e6));
        sb.append("  HEP types:");
        for (int t = 0; t < byType.length; t++) {
            if (byType[t] > 0) {
                sb.append(' ').append(t).append(typeName(t)).append('=').append(byType[t]);
            }
        }
        sb.append("\n  SIP:");
        byLabel.forEach((k, v) -> {
            if (!k.equals("RTCP") && !k.equals("LOG")) {
                sb.append(' ').append(k).append('=').append(v);
            }
        });
        sb.append("\n  calls:");
        long total = 0;
        for (CallOutcome o : CallOutcome.values()) {
            sb.append(' ').append(o.key()).append('=').append(calls(o));
            total += calls(o);
        }
        sb.append(" (total ").append(total).append(")\n  registrations:");
        total = 0;
        for (RegistrationOutcome o : RegistrationOutcome.values()) {
            sb.append(' ').append(o.key()).append('=').append(registrations(o));
            total += registrations(o);
        }
        sb.append(" (total ").append(total).append(")\n");
        if (firstHepMicros >= 0) {
            sb.append("  HEP time ").append(java.time.Instant.ofEpochSecond(0, firstHepMicros * 1000)).append(" .. ")
                    .append(java.time.Instant.ofEpochSecond(0, lastHepMicros * 1000)).append('\n');
        }
        return sb.toString();
    }

    private static String typeName(int t) {
        return switch (t) {
            case 1 -> "(SIP)";
            case 5 -> "(RTCP)";
            case 100 -> "(LOG)";
            default -> "";
        };
    }
}
