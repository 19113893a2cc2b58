package io.hepstack.enricher.blacklist;

import io.hepstack.enricher.net.Cidr;
import io.hepstack.enricher.net.IpAddress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Immutable set of CIDR networks of one address family, each with a payload, answering "which
 * entry covers this address" in O(log n) with no allocation.
 *
 * <p>At build time nested networks (a /24 and a /32 inside it) are cut into disjoint segments, each
 * pointing at the <em>most specific</em> entry that covers it; a lookup is one binary search over
 * the segment starts. CIDR networks are either nested or disjoint, which is what makes this sweep
 * exact. 128-bit values are (hi, lo) pairs compared unsigned; IPv4 uses hi = 0.
 */
public final class IpRangeSet<T> {

    private final long[] startHi;
    private final long[] startLo;
    private final long[] endHi;
    private final long[] endLo;
    private final Object[] payload;
    private final int entries;

    private IpRangeSet(List<long[]> segs, List<Object> payloads, int entries) {
        int n = segs.size();
        startHi = new long[n];
        startLo = new long[n];
        endHi = new long[n];
        endLo = new long[n];
        payload = payloads.toArray();
        for (int i = 0; i < n; i++) {
            long[] s = segs.get(i);
            startHi[i] = s[0];
            startLo[i] = s[1];
            endHi[i] = s[2];
            endLo[i] = s[3];
        }
        this.entries = entries;
    }

    /** Number of distinct networks the set was built from. */
    public int size() {
        return entries;
    }

    /** The payload of the most specific network containing {@code a}, or null. */
    @SuppressWarnings("unchecked")
    public T find(IpAddress a) {
        return (T) find(a.hi(), a.lo());
    }

    Object find(long hi, long lo) {
        int low = 0;
        int high = startHi.length - 1;
        int found = -1;
        while (low <= high) { // last segment whose start <= x
            int mid = (low + high) >>> 1;
            if (compare(startHi[mid], startLo[mid], hi, lo) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (found >= 0 && compare(hi, lo, endHi[found], endLo[found]) <= 0) {
            return payload[found];
        }
        return null;
    }

    static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** Collects networks; duplicates keep the first payload. */
    public static final class Builder<T> {
        private final List<Range> ranges = new ArrayList<>();

        public Builder<T> add(Cidr network, T value) {
            ranges.add(new Range(network.base().hi(), network.base().lo(), network.lastHi(), network.lastLo(),
                    value, ranges.size()));
            return this;
        }

        public IpRangeSet<T> build() {
            List<Range> sorted = new ArrayList<>(ranges);
            // by start, wider first, then input order (so the first of duplicates wins)
            sorted.sort(((Comparator<Range>) (a, b) -> compare(a.sHi, a.sLo, b.sHi, b.sLo))
                    .thenComparing((a, b) -> compare(b.eHi, b.eLo, a.eHi, a.eLo))
                    .thenComparingInt(r -> r.order));
            List<long[]> segs = new ArrayList<>();
            List<Object> payloads = new ArrayList<>();
            Deque<Range> stack = new ArrayDeque<>();
            long[] cursor = new long[2];
            boolean cursorValid = false;
            int distinct = 0;
            Range previous = null;
            for (Range r : sorted) {
                if (previous != null && previous.sameSpan(r)) {
                    continue; // duplicate network: the first one listed wins
                }
                previous = r;
                distinct++;
                while (!stack.isEmpty() && compare(stack.peek().eHi, stack.peek().eLo, r.sHi, r.sLo) < 0) {
                    cursorValid = close(stack, segs, payloads, cursor, cursorValid);
                }
                if (!stack.isEmpty()) {
                    Range top = stack.peek();
                    if (compare(r.eHi, r.eLo, top.eHi, top.eLo) > 0) {
                        throw new IllegalStateException("overlapping ranges that are not nested: " + r + " / " + top);
                    }
                    if (cursorValid && compare(cursor[0], cursor[1], r.sHi, r.sLo) < 0) {
                        long[] before = minusOne(r.sHi, r.sLo);
                        segs.add(new long[] {cursor[0], cursor[1], before[0], before[1]});
                        payloads.add(top.value);
                    }
                }
                cursor[0] = r.sHi;
                cursor[1] = r.sLo;
                cursorValid = true;
                stack.push(r);
            }
            while (!stack.isEmpty()) {
                cursorValid = close(stack, segs, payloads, cursor, cursorValid);
            }
            return new IpRangeSet<>(segs, payloads, distinct);
        }

        private static boolean close(Deque<Range> stack, List<long[]> segs, List<Object> payloads, long[] cursor,
                                     boolean cursorValid) {
            Range top = stack.pop();
            if (cursorValid && compare(cursor[0], cursor[1], top.eHi, top.eLo) <= 0) {
                segs.add(new long[] {cursor[0], cursor[1], top.eHi, top.eLo});
                payloads.add(top.value);
            }
            if (top.eHi == -1L && top.eLo == -1L) {
                return false; // reached the top of the address space
            }
            long lo = top.eLo + 1;
            cursor[0] = lo == 0 ? top.eHi + 1 : top.eHi;
            cursor[1] = lo;
            return cursorValid;
        }

        private static long[] minusOne(long hi, long lo) {
            return new long[] {lo == 0 ? hi - 1 : hi, lo - 1};
        }
    }

    private record Range(long sHi, long sLo, long eHi, long eLo, Object value, int order) {
        boolean sameSpan(Range o) {
            return sHi == o.sHi && sLo == o.sLo && eHi == o.eHi && eLo == o.eLo;
        }
    }
}
