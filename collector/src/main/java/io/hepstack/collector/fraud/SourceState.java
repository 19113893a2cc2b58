package io.hepstack.collector.fraud;

/** Per source IP counters of the scanner and flood checks; dropped after the idle timeout. */
final class SourceState {

    final String ip;
    long lastActivityMicros;
    SlidingCounter register;
    SlidingCounter invite;
    SlidingCounter options;
    SlidingCounter finals;
    SlidingCounter failures;
    EventWindow scanner;
    EventWindow blacklisted;

    SourceState(String ip) {
        this.ip = ip;
    }
}
