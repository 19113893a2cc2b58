package io.hepstack.collector.fraud;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * UTC epoch seconds to local epoch seconds in one zone, caching the offset until the zone's next
 * transition so the hot path allocates nothing. Not thread-safe (one per engine, used under its lock).
 */
final class ZoneClock {

    private final ZoneId zone;
    private final ZoneRules rules;
    private long validFrom = Long.MAX_VALUE;
    private long validUntil = Long.MIN_VALUE;
    private int offset;

    ZoneClock(ZoneId zone) {
        this.zone = zone;
        this.rules = zone.getRules();
    }

    ZoneId zone() {
        return zone;
    }

    long toLocal(long epochSecond) {
        if (epochSecond < validFrom || epochSecond >= validUntil) {
            refresh(epochSecond);
        }
        return epochSecond + offset;
    }

    /** Inverse, with the offset in force at {@code nearUtc} (good enough for window bounds). */
    long toUtc(long localSecond, long nearUtc) {
        toLocal(nearUtc);
        return localSecond - offset;
    }

    private void refresh(long s) {
        Instant i = Instant.ofEpochSecond(s);
        offset = rules.getOffset(i).getTotalSeconds();
        if (rules.isFixedOffset()) {
            validFrom = Long.MIN_VALUE;
            validUntil = Long.MAX_VALUE;
            return;
        }
        ZoneOffsetTransition prev = rules.previousTransition(i.plusSeconds(1));
        ZoneOffsetTransition next = rules.nextTransition(i);
        validFrom = prev == null ? Long.MIN_VALUE : prev.toEpochSecond();
        validUntil = next == null ? Long.MAX_VALUE : next.toEpochSecond();
    }
}
