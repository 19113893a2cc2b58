package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.DaysOfWeek;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.FraudRule;
import io.hepstack.collector.fraud.rules.RuleSet;
import io.hepstack.collector.fraud.rules.Threshold;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static io.hepstack.collector.fraud.FraudTestSupport.CHECKS_OFF;
import static io.hepstack.collector.fraud.FraudTestSupport.at;
import static io.hepstack.collector.fraud.FraudTestSupport.call;
import static io.hepstack.collector.fraud.FraudTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Days of the week, hours, time zone and prefix matching, as OpenSIPS (drouting) matches rules. */
class RuleMatchingTest {

    @TempDir
    Path dir;

    private static FraudRule rule(int id, String prefix, String start, String end, String days) {
        return new FraudRule(id, 1, prefix, FraudRule.parseTime(start, false), FraudRule.parseTime(end, true),
                DaysOfWeek.parse(days), Threshold.OFF, Threshold.OFF, Threshold.OFF, Threshold.OFF, Threshold.OFF, 0);
    }

    /** Local epoch second of a local date-time (the rule's zone is applied by the engine). */
    private static long local(String isoLocal) {
        return LocalDateTime.parse(isoLocal).toEpochSecond(ZoneOffset.UTC);
    }

    @Test
    void daysOfWeekListsAndRangesThatWrapTheWeek() {
        int mask = DaysOfWeek.parse("Fri-Mon, Wed");
        // 2026-01-05 is a Monday
        boolean[] expected = {true, false, true, false, true, true, true}; // Mon..Sun
        for (int d = 0; d < 7; d++) {
            long day = local("2026-01-05T12:00:00") / 86400 + d;
            assertThat(DaysOfWeek.contains(mask, DaysOfWeek.ofEpochDay(day))).as("day %d", d).isEqualTo(expected[d]);
        }
        assertThat(DaysOfWeek.parse("Mon-Fri")).isEqualTo(0b0011111);
        assertThat(DaysOfWeek.parse("sat,SUN")).isEqualTo(0b1100000);
        assertThat(DaysOfWeek.parse("Sun-Sat")).as("Sun..Sat wraps to the whole week").isEqualTo(DaysOfWeek.ALL);
        assertThat(DaysOfWeek.parse("")).isEqualTo(DaysOfWeek.ALL);
        assertThat(DaysOfWeek.parse(" Tue - Thu ")).isEqualTo(0b0001110);
        assertThat(DaysOfWeek.format(DaysOfWeek.parse("Fri-Mon"))).isEqualTo("Mon,Fri,Sat,Sun");
        assertThatThrownBy(() -> DaysOfWeek.parse("Mon-Fry")).hasMessageContaining("'Fry'");
        assertThatThrownBy(() -> DaysOfWeek.parse("Monday")).hasMessageContaining("'Monday'");
        assertThatThrownBy(() -> DaysOfWeek.parse("Mon,,Tue")).hasMessageContaining("unknown day ''");
    }

    @Test
    void hoursAreAHalfOpenIntervalAsInOpenSips() {
        FraudRule r = rule(1, "", "09:00", "17:00", "Mon-Fri");
        assertThat(r.intervalStart(local("2026-01-05T08:59:59"))).isEqualTo(FraudRule.NO_MATCH);
        assertThat(r.intervalStart(local("2026-01-05T09:00:00"))).isEqualTo(local("2026-01-05T09:00:00"));
        assertThat(r.intervalStart(local("2026-01-05T16:59:59"))).isEqualTo(local("2026-01-05T09:00:00"));
        assertThat(r.intervalStart(local("2026-01-05T17:00:00"))).isEqualTo(FraudRule.NO_MATCH);
        assertThat(r.intervalStart(local("2026-01-10T10:00:00"))).as("Saturday").isEqualTo(FraudRule.NO_MATCH);
        // OpenSIPS' 00:00-23:59 leaves the last minute out; 24:00 covers it
        assertThat(rule(2, "", "00:00", "23:59", "").intervalStart(local("2026-01-05T23:59:30"))).isEqualTo(FraudRule.NO_MATCH);
        assertThat(rule(3, "", "00:00", "24:00", "").intervalStart(local("2026-01-05T23:59:30")))
                .isEqualTo(local("2026-01-05T00:00:00"));
    }

    @Test
    void intervalsMaySpanMidnightAndBelongToTheDayTheyStart() {
        FraudRule night = rule(1, "", "22:00", "06:00", "Fri"); // 2026-01-09 is a Friday
        assertThat(night.intervalStart(local("2026-01-09T23:00:00"))).isEqualTo(local("2026-01-09T22:00:00"));
        assertThat(night.intervalStart(local("2026-01-10T05:59:59"))).isEqualTo(local("2026-01-09T22:00:00"));
        assertThat(night.intervalStart(local("2026-01-10T06:00:00"))).isEqualTo(FraudRule.NO_MATCH);
        assertThat(night.intervalStart(local("2026-01-10T23:00:00"))).as("Saturday evening").isEqualTo(FraudRule.NO_MATCH);
        assertThat(night.intervalStart(local("2026-01-09T05:00:00"))).as("Friday morning belongs to Thursday").isEqualTo(FraudRule.NO_MATCH);
        assertThat(night.intervalSeconds()).isEqualTo(8 * 3600);
    }

    @Test
    void badTimesAreRejected() {
        assertThatThrownBy(() -> FraudRule.parseTime("24:00", false)).hasMessageContaining("24:00");
        assertThatThrownBy(() -> FraudRule.parseTime("9h", false)).hasMessageContaining("HH:MM");
        assertThatThrownBy(() -> FraudRule.parseTime("12:60", true)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> rule(1, "", "10:00", "10:00", "")).hasMessageContaining("empty interval");
        assertThat(FraudRule.parseTime("9:05", false)).isEqualTo(9 * 3600 + 300);
    }

    @Test
    void longestPrefixWithFallbackToShorterPrefixesOutsideTheirHours() {
        RuleSet set = new RuleSet(List.of(rule(1, "", "00:00", "24:00", ""), rule(2, "44", "00:00", "24:00", ""),
                rule(3, "447", "09:00", "17:00", ""), rule(4, "4420", "00:00", "24:00", "Sat,Sun")));
        long monNoon = local("2026-01-05T12:00:00");
        long monNight = local("2026-01-05T20:00:00");
        long sat = local("2026-01-10T12:00:00");
        assertThat(set.match(1, "447700900123", monNoon).ruleId()).isEqualTo(3);
        assertThat(set.match(1, "447700900123", monNight).ruleId()).isEqualTo(2);
        assertThat(set.match(1, "442079460123", monNoon).ruleId()).as("4420 only at weekends").isEqualTo(2);
        assertThat(set.match(1, "442079460123", sat).ruleId()).isEqualTo(4);
        assertThat(set.match(1, "33142685300", monNoon).ruleId()).isEqualTo(1);
        assertThat(set.match(1, null, monNoon).ruleId()).isEqualTo(1);
        assertThat(set.match(2, "447700900123", monNoon)).as("another profile").isNull();
        assertThatThrownBy(() -> new RuleSet(List.of(rule(1, "", "00:00", "24:00", ""), rule(1, "4", "00:00", "24:00", ""))))
                .hasMessageContaining("duplicate ruleid 1");
    }

    @Test
    void theRulesTimeZoneDecidesWhichIntervalACallFallsIn() {
        String rules = "defaultProfile: 1\n" + CHECKS_OFF + "rules:\n"
                + "  - {ruleid: 1, profileid: 1, prefix: \"\", start_hour: \"09:00\", end_hour: \"17:00\", daysoftheweek: \"Mon-Fri\"}\n";
        FraudConfig paris = config(dir, "timeZone: Europe/Paris\n" + rules);
        FraudConfig utc = config(dir, "timeZone: UTC\n" + rules);
        FraudEngine ep = new FraudEngine(paris);
        FraudEngine eu = new FraudEngine(utc);
        long winterMorning = at("2026-01-05T08:30:00Z"); // 09:30 in Paris (CET, +1)
        long winterEvening = at("2026-01-05T16:30:00Z"); // 17:30 in Paris
        long summerMorning = at("2026-07-06T07:30:00Z"); // 09:30 in Paris (CEST, +2), a Monday
        for (FraudEngine e : List.of(ep, eu)) {
            e.onCallStarted(call("a", winterMorning, "u1", "1").build());
            e.onCallStarted(call("b", winterEvening, "u2", "1").build());
            e.onCallStarted(call("c", summerMorning, "u3", "1").build());
        }
        assertThat(ep.statsFor("u1").rules()).hasSize(1);
        assertThat(ep.statsFor("u1").rules().get(0).intervalStartMicros()).isEqualTo(at("2026-01-05T08:00:00Z"));
        assertThat(ep.statsFor("u2").rules()).isEmpty();
        assertThat(ep.statsFor("u3").rules()).hasSize(1);
        assertThat(ep.statsFor("u3").rules().get(0).intervalStartMicros()).isEqualTo(at("2026-07-06T07:00:00Z"));
        assertThat(eu.statsFor("u1").rules()).as("08:30 UTC is before 09:00 UTC").isEmpty();
        assertThat(eu.statsFor("u2").rules()).hasSize(1);
        assertThat(eu.statsFor("u3").rules()).isEmpty();
    }
}
