package io.hepstack.collector.api.search;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the quick-search box recognises in what users paste. */
class QuickSearchTest {

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // text                                           | kind    | looked-up user
            "325a1333-0ebb-5c2d-38a24bec5164@81.2.69.142      | CALL_ID | -",
            "1-12345@127.0.0.1                                | CALL_ID | -",
            "a84b4c76e66710                                   | CALL_ID | -",
            "3c26700f-4fc2-4d2e-9a1e-2b2c6d7e8f90             | CALL_ID | -",
            "+442079460123                                    | NUMBER  | +442079460123",
            "+44 20 7946-0123                                 | NUMBER  | +442079460123",
            "00442079460123                                   | NUMBER  | +442079460123",
            "4930901820                                       | NUMBER  | 4930901820",
            "(030) 901820                                     | NUMBER  | 030901820",
            "sip:alice@example.com                            | NUMBER  | alice",
            "sip:+4930901820@sbc.example.net;user=phone       | NUMBER  | +4930901820",
            "tel:+4930901820                                  | NUMBER  | +4930901820",
            "81.2.69.142                                      | IP      | -",
            "2001:db8::1                                      | IP      | -",
            "10.0.0.0/8                                       | IP      | -",
            "Ringing                                          | TEXT    | -",
            "friendly-scanner                                 | TEXT    | -",
            "busy here                                        | TEXT    | -",
            "12                                               | TEXT    | -",
            "10.0.0.0/33                                      | TEXT    | -",
    })
    void recognises(String text, QuickSearch.Kind kind, String user) {
        QuickSearch q = QuickSearch.of(text);
        assertThat(q.kind()).isEqualTo(kind);
        assertThat(q.user()).isEqualTo(user);
        assertThat(q.text()).isEqualTo(text.trim());
    }

    @org.junit.jupiter.api.Test
    void blankIsNoSearch() {
        assertThat(QuickSearch.of("  ")).isNull();
        assertThat(QuickSearch.of(null)).isNull();
        assertThat(QuickSearch.Kind.CALL_ID.id()).isEqualTo("call_id");
    }
}
