package io.hepstack.collector.fraud.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FraudRuleTimeTest {

    @Test
    void everyMinuteOfTheDayReadsBackAsItselfAndTheSameTextIsHandedOutAgain() {
        for (int minute = 0; minute <= 1440; minute++) {
            String text = FraudRule.formatTime(minute * 60 + 59);
            assertThat(text).isEqualTo(String.format("%02d:%02d", minute / 60, minute % 60));
            assertThat(FraudRule.formatTime(minute * 60)).isSameAs(text);
            if (minute < 1440) {
                assertThat(FraudRule.parseTime(text, false)).isEqualTo(minute * 60);
            }
        }
        assertThat(FraudRule.formatTime(86_400)).isEqualTo("24:00");
        assertThat(FraudRule.parseTime("24:00", true)).isEqualTo(86_400);
    }
}
