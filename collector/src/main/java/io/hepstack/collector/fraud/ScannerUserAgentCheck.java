package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Checks;

import java.util.List;

import static io.hepstack.collector.fraud.CheckSupport.span;
import static io.hepstack.collector.fraud.CheckSupport.window;

/**
 * hepstack's scanner-user-agent: requests from a source IP whose User-Agent contains a known scanner
 * pattern (friendly-scanner, sipvicious, ...), counted per source in the window.
 */
final class ScannerUserAgentCheck implements FraudCheck {

    @Override
    public void sipSeen(SipSeen e, SourceState s, FraudContext cx) {
        if (!e.isRequest()) {
            return;
        }
        Checks.Scanner sc = cx.checks().scannerUserAgent();
        String pattern;
        if (sc.count().active() && (pattern = pattern(e.userAgent(), sc.patterns())) != null) {
            long t = cx.time();
            String ip = s.ip;
            s.scanner = window(s.scanner, sc.count());
            int n = s.scanner.add(t);
            Severity sev = sc.count().threshold().reached(n);
            if (sev != null) {
                cx.raise(AlertRule.SCANNER_USER_AGENT, AlertRule.SCANNER_USER_AGENT.code(), sev, n,
                        sc.count().threshold(), ip, ip + " sent " + n + " requests with the scanner User-Agent '"
                                + e.userAgent() + "' (matches '" + pattern + "') in " + span(sc.count().windowSeconds())
                                + ", latest " + e.method() + " from " + e.fromUser() + " to " + e.toUser());
            }
        }
    }

    /** The User-Agent characters searched: the sender chooses the length, the cost must not follow it. */
    static final int MAX_INPUT = 1_024;

    /**
     * The first configured pattern the User-Agent contains, case-insensitively, or null. Only its
     * first {@link #MAX_INPUT} characters are searched, lower-cased once (a position-by-position
     * case-insensitive compare cost patterns × length, and a 60 KB User-Agent made it a CPU attack).
     */
    static String pattern(String ua, List<String> patterns) {
        if (ua == null || ua.isEmpty()) {
            return null;
        }
        String text = (ua.length() > MAX_INPUT ? ua.substring(0, MAX_INPUT) : ua).toLowerCase(java.util.Locale.ROOT);
        for (int p = 0; p < patterns.size(); p++) {
            String pat = patterns.get(p);
            if (text.contains(pat.toLowerCase(java.util.Locale.ROOT))) {
                return pat;
            }
        }
        return null;
    }
}
