package io.hepstack.collector.fraud;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each new alert (and each severity change) to the log, on logger {@code hepstack.alerts}. */
public final class LoggingAlertListener implements AlertListener {

    private static final Logger LOG = LoggerFactory.getLogger("hepstack.alerts");

    @Override
    public void onAlert(Alert a) {
        if (a.isNew()) {
            LOG.warn("{} {} {}: {} (value {} >= threshold {}, subject {})", a.severity().code().toUpperCase(),
                    a.rule().code(), a.user() != null ? a.user() : a.sourceIp(), a.message(), a.value(), a.threshold(), a.subject());
        }
    }
}
