package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.FraudConfigLoader;
import io.hepstack.enricher.reload.LoadException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Shared helpers: capture times, configs from YAML text, an alert recorder. */
final class FraudTestSupport {

    /** Every check beyond OpenSIPS switched off, to test one thing at a time. */
    static final String CHECKS_OFF = """
            checks:
              userAgentChange: {enabled: false}
              newCountry: {enabled: false}
              highRiskDestination: {enabled: false}
              costBurn: {enabled: false}
              blacklistedSource: {enabled: false}
              scannerUserAgent: {enabled: false}
              sipFlood: {enabled: false}
              authFailureRatio: {enabled: false}
              irsfShortCalls: {enabled: false}
            """;

    private FraudTestSupport() {
    }

    /** Microseconds since the epoch of an ISO instant such as 2026-01-05T10:00:00Z (a Monday). */
    static long at(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    static long seconds(long s) {
        return s * 1_000_000L;
    }

    static FraudConfig config(Path dir, String yaml) {
        try {
            Path f = Files.createTempFile(dir, "fraud", ".yml");
            Files.writeString(f, yaml);
            return new FraudConfigLoader().load(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (LoadException e) {
            throw new AssertionError("config did not load: " + e.getMessage(), e);
        }
    }

    static CallStarted.Builder call(String callId, long t, String user, String number) {
        return CallStarted.builder(callId, t).user(user).domain("example.com").sourceIp("192.0.2.10")
                .calledNumber(number);
    }

    /** Records every alert version the engine publishes. */
    static final class Recorder implements AlertListener {
        final List<Alert> all = new ArrayList<>();

        @Override
        public synchronized void onAlert(Alert alert) {
            all.add(alert);
        }

        synchronized List<Alert> of(AlertRule rule) {
            return all.stream().filter(a -> a.rule() == rule).collect(Collectors.toList());
        }

        synchronized List<Alert> newOnes() {
            return all.stream().filter(Alert::isNew).collect(Collectors.toList());
        }

        synchronized void clear() {
            all.clear();
        }
    }
}
