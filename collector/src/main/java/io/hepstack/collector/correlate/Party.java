package io.hepstack.collector.correlate;

import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.number.NumberInfo;

/**
 * What a TDR shows about one side of a call or transaction ({@code tdr.caller.*},
 * {@code tdr.callee.*}, and {@code source.*}/{@code destination.*}). Each group of fields comes
 * from the message that ranks best for it, so the result does not depend on arrival order; the
 * ranks are compared by the record that owns the party.
 */
final class Party {

    // identity (From for the caller, To for the callee)
    String user;
    String domain;
    String display;
    /** P-Asserted-Identity as user@host (caller only). */
    String pai;
    NumberInfo number;

    // signalling address
    String ip;
    int port = -1;
    IpInfo ipInfo;
    long addressRank = Long.MIN_VALUE;

    String userAgent;
    long userAgentRank = Long.MIN_VALUE;

    MediaDescription media;
    long mediaRank = Long.MIN_VALUE;

    /**
     * Takes a signalling address: the HEP address of the message that ranks best for it, with the
     * enrich stage's lookup of that address.
     */
    void address(String ip, int port, IpInfo info, long rank) {
        this.ip = ip;
        this.port = port;
        this.ipInfo = info; // the enrich stage's lookup of this HEP address
        this.addressRank = rank;
    }

    /**
     * A rank from a preference class (higher wins) and a capture time; within a class the earlier
     * capture wins when {@code earliest}, else the later one. Class 0..2047, time in µs (52 bits:
     * up to the year 2112).
     */
    static long rank(int preference, long captureMicros, boolean earliest) {
        long max = (1L << 52) - 1;
        long t = Math.max(0, Math.min(captureMicros, max));
        int p = Math.max(0, Math.min(preference, 2047));
        return ((long) p << 52) | (earliest ? max - t : t);
    }
}
