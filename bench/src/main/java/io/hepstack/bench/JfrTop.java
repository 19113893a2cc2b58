package io.hepstack.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time and the allocation of a JFR recording go, as text: the methods most often on top
 * of the CPU samples (self), the methods most often anywhere on the sampled stacks (total), and the
 * allocation samples by allocating method and by class, weighted by their bytes. Only threads whose
 * name contains the filter are counted (e.g. {@code pipeline-worker} for the collector; the JMH
 * worker for benchmarks).
 *
 * <pre>java -cp bench/target/benchmarks.jar io.hepstack.bench.JfrTop recording.jfr [thread-filter] [rows]</pre>
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrTop recording.jfr [thread-name-filter] [rows]");
            System.exit(2);
        }
        String filter = args.length > 1 ? args[1] : "";
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> allocBy = new HashMap<>();
        Map<String, Long> allocClass = new HashMap<>();
        Map<String, Long> allocByCaller = new HashMap<>();
        long samples = 0;
        long allocBytes = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            boolean cpu = type.equals("jdk.ExecutionSample");
            boolean alloc = type.equals("jdk.ObjectAllocationSample");
            if (!cpu && !alloc) {
                continue;
            }
            String thread = cpu ? threadName(e, "sampledThread") : threadName(e, "eventThread");
            if (thread == null || !thread.contains(filter)) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = st.getFrames();
            if (cpu) {
                samples++;
                self.merge(name(frames.get(0)), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (seen.add(n)) {
                        total.merge(n, 1L, Long::sum);
                    }
                }
            } else {
                if (firstOwn(frames) == null) {
                    continue; // not the collector's (JMH's own bookkeeping, JFR)
                }
                long w = e.getLong("weight");
                allocBytes += w;
                allocClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
                allocBy.merge(name(frames.get(0)), w, Long::sum);
                allocByCaller.merge(firstOwn(frames), w, Long::sum);
            }
        }
        System.out.printf("CPU samples of threads matching '%s': %d%n", filter, samples);
        print("self (top of stack)", self, samples, rows);
        print("total (anywhere on the stack)", total, samples, rows);
        System.out.printf("%nallocation samples under io.hepstack frames: %d MB weighted%n", allocBytes >> 20);
        print("allocated by (top frame)", allocBy, allocBytes, rows);
        print("allocated by (first io.hepstack frame)", allocByCaller, allocBytes, rows);
        print("allocated class", allocClass, allocBytes, rows);
    }

    private static String threadName(RecordedEvent e, String field) {
        if (!e.hasField(field)) {
            return null;
        }
        var t = e.getThread(field);
        return t == null ? null : t.getJavaName();
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** The first collector frame and its caller, with line numbers; null when there is none. */
    private static String firstOwn(List<RecordedFrame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            RecordedFrame f = frames.get(i);
            String n = name(f);
            if (n.startsWith("io.hepstack.") && !n.startsWith("io.hepstack.bench.")) {
                String at = n + ":" + f.getLineNumber();
                if (i + 1 < frames.size()) {
                    RecordedFrame c = frames.get(i + 1);
                    at += " < " + c.getMethod().getName() + ":" + c.getLineNumber();
                }
                return at;
            }
        }
        return null;
    }

    private static void print(String title, Map<String, Long> m, long sum, int rows) {
        System.out.printf("%n-- %s%n", title);
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
                .forEach(e -> System.out.printf("%6.1f%%  %s%n", sum == 0 ? 0.0 : 100.0 * e.getValue() / sum, e.getKey()));
    }
}
