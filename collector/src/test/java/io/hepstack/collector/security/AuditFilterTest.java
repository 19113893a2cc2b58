package io.hepstack.collector.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditFilterTest {

    @Test
    void actionsAndTargetsFromPaths() {
        assertThat(AuditFilter.classify("GET", "api/v1/search/calls", null)).isEqualTo(new AuditFilter.Action("search", null));
        assertThat(AuditFilter.classify("GET", "api/v1/calls", null).name()).isEqualTo("search");
        assertThat(AuditFilter.classify("GET", "api/v1/calls/a b@x/view", null)).isEqualTo(new AuditFilter.Action("call.open", "a b@x"));
        assertThat(AuditFilter.classify("GET", "api/v1/calls/a@x", null)).isEqualTo(new AuditFilter.Action("call.open", "a@x"));
        assertThat(AuditFilter.classify("GET", "api/v1/calls/a@x/export.pcap", null))
                .isEqualTo(new AuditFilter.Action("export", "a@x export.pcap"));
        assertThat(AuditFilter.classify("GET", "api/v1/search/messages/export.pcap", null).name()).isEqualTo("export");
        assertThat(AuditFilter.classify("POST", "api/v1/imports", "x.pcap")).isEqualTo(new AuditFilter.Action("import", "x.pcap"));
        assertThat(AuditFilter.classify("POST", "api/v1/fraud/reload", null)).isEqualTo(new AuditFilter.Action("reload", "fraud/reload"));
        assertThat(AuditFilter.classify("GET", "api/v1/messages/hep-sip-2026.01.01/abc", null))
                .isEqualTo(new AuditFilter.Action("message.open", "hep-sip-2026.01.01/abc"));
        assertThat(AuditFilter.classify("GET", "api/v1/fraud/users/alice", null)).isEqualTo(new AuditFilter.Action("fraud.counters", "alice"));
        assertThat(AuditFilter.classify("GET", "api/v1/auth/me", null)).isNull();
        assertThat(AuditFilter.classify("GET", "api/v1/overview", null)).isNull();
        assertThat(AuditFilter.classify("GET", "api/v1/imports/7", null)).isNull();
    }

    @Test
    void secretsAndControlCharactersNeverReachTheTrail() {
        assertThat(AuditLog.cleanQuery("q=alice&api_key=abc&password=x&size=5")).isEqualTo("q=alice&api_key=****&password=****&size=5");
        assertThat(AuditLog.printable("bob\nFAKE audit line")).isEqualTo("bob?FAKE audit line");
    }
}
