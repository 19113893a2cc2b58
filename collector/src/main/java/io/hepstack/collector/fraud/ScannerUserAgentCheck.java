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

    /** The first configured pattern the User-Agent contains, case-insensitively, or null. */
    static String pattern(String ua, List<String> patterns) {
        if (ua == null || ua.isEmpty()) {
            return null;
        }
        for (int p = 0; p < patterns.size(); p++) {
            String pat = patterns.get(p);
            int max = ua.length() - pat.length();
            for (int i = 0; i <= max; i++) {
                if (ua.regionMatches(true, i, pat, 0, pat.length())) {
                    return pat;
                }
            }
        }
        return null;
    }
}
