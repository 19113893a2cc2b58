package io.hepstack.enricher.number;

import io.hepstack.enricher.ConfigValidation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Numbers as they appear in SIP, with the answers libphonenumber's metadata (9.0.43) gives. Each type
 * below was read off the national patterns in that metadata (PhoneNumberMetadataProto_XX in the jar),
 * not from this code's output:
 * <ul>
 *   <li>GB fixed {@code 2(?:0[013478]|…)\d{3})\d{4}} (020 7946 0123 London, 01865 Oxford); GB mobile
 *       {@code 7(?:…|7(?:0[1-9]|…))\d{6}|7(?:…|700[01]|…)\d{5}} leaves out 07700 900xxx, Ofcom's
 *       range reserved for drama, so +447700900123 is not valid (and has no region);
 *       toll-free {@code 80[08]\d{7}}; premium {@code 9(?:[01]\d|…)\d{7}}.</li>
 *   <li>DE mobile {@code 15(?:[0-25-9]\d\d|…)\d{6}} (0151 = Telekom, "T-Mobile" in the carrier data);
 *       fixed {@code (?:[34]0|[68]9)\d{3,13}} (030 Berlin); toll-free {@code 800\d{7,12}}.</li>
 *   <li>US fixed and mobile patterns are the same (NANP), hence FIXED_LINE_OR_MOBILE; 555-01xx is valid
 *       (libphonenumber's own US example is 201-555-0123); toll-free {@code 8(?:00|33|…)[2-9]\d{6}};
 *       premium {@code 900[2-9]\d{6}}.</li>
 *   <li>SE fixed {@code (?:…|8\d)\d…\d{4,6}} (08 Stockholm), mobile {@code 7[023689]\d{7}}.</li>
 *   <li>FR fixed {@code (?:[13]\d|…)\d{7}}, mobile {@code 6(?:[0-24-8]\d|…)\d{6}}, toll-free {@code 80[0-5]\d{6}},
 *       premium {@code 8(?:1[2-9]|…|[569]\d|…)\d{6}}.</li>
 *   <li>CN fixed {@code 10(?:[02-79]\d\d|[18](?:0[1-9]|[1-9]\d))\d{5}} (Beijing) and {@code 4(?:[15]1|3[12])…}
 *       (0431 Changchun); mobile {@code 1(?:[38]\d|…)\d{8}}.</li>
 *   <li>CU fixed {@code (?:2[1-4]|4[1257]|7\d)\d{5,6}} (7 Havana), mobile {@code (?:5\d|6[2-4])\d{6}}.</li>
 *   <li>EE fixed {@code (?:3[23589]|4[3-8]|6\d|7[1-9]|88)\d{5}}, mobile {@code 5\d{5}\d\d}.</li>
 *   <li>+882 13 (EMSAT) matches the +882 VoIP pattern {@code 1(?:3(?:0[0347]|…)\d{4}…}; its region is
 *       "001", libphonenumber's code for non-geographic entities.</li>
 * </ul>
 */
class NumberAnalyzerTest {

    private static final NumberAnalyzer INTL_ONLY = new NumberAnalyzer(new NumberConfig());
    private static final NumberAnalyzer GERMANY = new NumberAnalyzer(germany());
    private static final NumberAnalyzer USA = new NumberAnalyzer(usa());

    private static NumberConfig germany() {
        NumberConfig c = new NumberConfig();
        c.defaultRegion = "DE";
        c.internationalPrefixes = List.of("00");
        c.nationalPrefix = "0";
        c.stripPrefixes = List.of("*31#", "#31#");
        c.rewriteRules = List.of(new RewriteRule("^9(0\\d+)$", "$1")); // PBX outside-line digit 9
        return c;
    }

    private static NumberConfig usa() {
        NumberConfig c = new NumberConfig();
        c.defaultRegion = "US";
        c.internationalPrefixes = List.of("011");
        c.nationalPrefix = "1";
        return c;
    }

    @ParameterizedTest(name = "{0} → {1} {3} {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // input                                          | e164            | cc  | region | type                 | valid
        "sip:+442079460123@sbc.example.net;user=phone     | +442079460123   | 44  | GB     | fixed_line           | true",
        "<sip:+442079460123@sbc.example.net;user=phone>   | +442079460123   | 44  | GB     | fixed_line           | true",
        "\"London\" <sips:+442079460123@example.net>      | +442079460123   | 44  | GB     | fixed_line           | true",
        "tel:+44-20-7946-0123                             | +442079460123   | 44  | GB     | fixed_line           | true",
        "tel:+44.20.7946.0123;phone-context=example.net   | +442079460123   | 44  | GB     | fixed_line           | true",
        "+44 (20) 7946 0123                               | +442079460123   | 44  | GB     | fixed_line           | true",
        "sip:+441865270000@example.net                    | +441865270000   | 44  | GB     | fixed_line           | true",
        "sip:+447700900123@example.net                    | +447700900123   | 44  | -      | unknown              | false",
        "sip:+448001234567@example.net                    | +448001234567   | 44  | GB     | toll_free            | true",
        "sip:+449012345678@example.net                    | +449012345678   | 44  | GB     | premium_rate         | true",
        "sip:+4915123456789@example.net;user=phone        | +4915123456789  | 49  | DE     | mobile               | true",
        "sip:+4930901820@example.net                      | +4930901820     | 49  | DE     | fixed_line           | true",
        "sip:+498001234567@example.net                    | +498001234567   | 49  | DE     | toll_free            | true",
        "sip:+12125550199@example.net                     | +12125550199    | 1   | US     | fixed_line_or_mobile | true",
        "sip:+1-206-555-0147@example.net                  | +12065550147    | 1   | US     | fixed_line_or_mobile | true",
        "sip:+18005550199@example.net                     | +18005550199    | 1   | US     | toll_free            | true",
        "sip:+19005550100@example.net                     | +19005550100    | 1   | US     | premium_rate         | true",
        "sip:+46812345678@example.net                     | +46812345678    | 46  | SE     | fixed_line           | true",
        "sip:+46701234567@example.net                     | +46701234567    | 46  | SE     | mobile               | true",
        "sip:+33142685300@example.net                     | +33142685300    | 33  | FR     | fixed_line           | true",
        "sip:+33612345678@example.net                     | +33612345678    | 33  | FR     | mobile               | true",
        "sip:+33801234567@example.net                     | +33801234567    | 33  | FR     | toll_free            | true",
        "sip:+33891123456@example.net                     | +33891123456    | 33  | FR     | premium_rate         | true",
        "sip:+861012345678@example.net                    | +861012345678   | 86  | CN     | fixed_line           | true",
        "sip:+8643188881234@example.net                   | +8643188881234  | 86  | CN     | fixed_line           | true",
        "sip:+8613123456789@example.net                   | +8613123456789  | 86  | CN     | mobile               | true",
        "sip:+5372345678@example.net                      | +5372345678     | 53  | CU     | fixed_line           | true",
        "sip:+5351234567@example.net                      | +5351234567     | 53  | CU     | mobile               | true",
        "sip:+3727123456@example.net                      | +3727123456     | 372 | EE     | fixed_line           | true",
        "sip:+37251234567@example.net                     | +37251234567    | 372 | EE     | mobile               | true",
        "sip:+88213000123@example.net                     | +88213000123    | 882 | 001    | voip                 | true",
        "sip:%2B4930901820@example.net                    | +4930901820     | 49  | DE     | fixed_line           | true",
        "sip:+4930901820;npdi;rn=+4930123@example.net     | +4930901820     | 49  | DE     | fixed_line           | true",
        // invalid: too short for France ([1-9]\\d{8}), NANP needs 10 digits
        "sip:+331234@example.net                          | +331234         | 33  | -      | unknown              | false",
        "sip:+15550100@example.net                        | +15550100       | 1   | -      | unknown              | false",
    })
    void internationalForms(String input, String e164, Integer cc, String region, String type, boolean valid) {
        NumberInfo n = INTL_ONLY.analyze(input);
        assertThat(n).isNotNull();
        assertThat(n.raw()).isEqualTo(input);
        assertThat(n.e164()).isEqualTo(e164);
        assertThat(n.countryCode()).isEqualTo(cc);
        assertThat(n.regionCode()).isEqualTo(region);
        assertThat(n.type()).isEqualTo(type);
        assertThat(n.valid()).isEqualTo(valid);
        assertThat(n.digits()).isEqualTo(e164.substring(1));
    }

    @Test
    void geographicDescriptionAndCarrier() {
        assertThat(INTL_ONLY.analyze("+442079460123").geo()).isEqualTo("London");
        assertThat(INTL_ONLY.analyze("+4930901820").geo()).isEqualTo("Berlin");
        assertThat(INTL_ONLY.analyze("+46812345678").geo()).isEqualTo("Stockholm");
        NumberInfo mobile = INTL_ONLY.analyze("+4915123456789");
        assertThat(mobile.geo()).as("mobiles: the country").isEqualTo("Germany");
        assertThat(mobile.carrier()).isEqualTo("T-Mobile");
        assertThat(INTL_ONLY.analyze("+4930901820").carrier()).as("no carrier for fixed lines").isNull();
        NumberInfo invalid = INTL_ONLY.analyze("+447700900123");
        assertThat(invalid.geo()).isNull();
        assertThat(invalid.carrier()).isNull();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(nullValues = "-", value = {
        "alice", "sip:alice@example.com", "sip:example.com", "<sip:bob.smith@example.com>", "sip:+49abc@x",
        "*97", "sip:*97@pbx", "anonymous", "sip:anonymous@anonymous.invalid", "+", "tel:", "sip:@x", "' '",
    })
    void nonNumbersAreNotGuessed(String input) {
        assertThat(INTL_ONLY.analyze(input)).isNull();
        assertThat(GERMANY.analyze(input)).isNull();
        assertThat(GERMANY.analyze("")).isNull();
        assertThat(GERMANY.analyze(null)).isNull();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "sip:004930901820@pbx.example.de          | +4930901820    | fixed_line",
        "sip:030901820@pbx.example.de;user=phone  | +4930901820    | fixed_line",
        "030 / 90 18 20                           | +4930901820    | fixed_line",
        "0151 2345 6789                           | +4915123456789 | mobile",
        "00442079460123                           | +442079460123  | fixed_line",
        "*31#004930901820                         | +4930901820    | fixed_line",
        "#31#+4930901820                          | +4930901820    | fixed_line",
        "9004930901820                            | +4930901820    | fixed_line",
        "90151 23456789                           | +4915123456789 | mobile",
        "+4930901820                              | +4930901820    | fixed_line",
    })
    void germanDialPlan(String input, String e164, String type) {
        NumberInfo n = GERMANY.analyze(input);
        assertThat(n.e164()).isEqualTo(e164);
        assertThat(n.type()).isEqualTo(type);
        assertThat(n.valid()).isTrue();
        assertThat(n.regionCode()).isEqualTo(e164.startsWith("+44") ? "GB" : "DE");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "sip:011442079460123@pbx.example.com | +442079460123",
        "sip:12125550199@pbx.example.com     | +12125550199",
        "(212) 555-0199                      | +12125550199",
        "1-800-555-0199                      | +18005550199",
        "01149 30 901820                     | +4930901820",
    })
    void northAmericanDialPlan(String input, String e164) {
        NumberInfo n = USA.analyze(input);
        assertThat(n.e164()).isEqualTo(e164);
        assertThat(n.valid()).isTrue();
    }

    @Test
    void nationalNumbersWithoutRegionOrValidityGetNoE164() {
        NumberInfo noRegion = INTL_ONLY.analyze("4930901820");
        assertThat(noRegion.e164()).isNull();
        assertThat(noRegion.normalized()).isEqualTo("4930901820");
        assertThat(noRegion.valid()).isFalse();
        NumberInfo extension = GERMANY.analyze("sip:100@pbx.example.de");
        assertThat(extension).as("numeric: analysed, but not made up into +49100").isNotNull();
        assertThat(extension.e164()).isNull();
        assertThat(extension.valid()).isFalse();
        NumberInfo badCountry = INTL_ONLY.analyze("+999123456");
        assertThat(badCountry.e164()).as("999 is no country code").isNull();
        assertThat(badCountry.normalized()).isEqualTo("+999123456");
        assertThat(badCountry.valid()).isFalse();
    }

    @Test
    void resultsAreCachedPerInput() {
        NumberAnalyzer a = new NumberAnalyzer(germany());
        NumberInfo first = a.analyze("sip:030901820@pbx");
        assertThat(a.analyze("sip:030901820@pbx")).isSameAs(first);
        assertThat(a.analyze("alice")).isNull();
        assertThat(a.analyze("alice")).isNull();
        assertThat(a.cache().hits()).isEqualTo(2);
        assertThat(a.cache().misses()).isEqualTo(2);
    }

    @Test
    void badDialPlansAreRejectedWithTheSetting() {
        NumberConfig c = new NumberConfig();
        c.defaultRegion = "XX";
        c.internationalPrefixes = List.of("00", "+");
        c.nationalPrefix = "0";
        c.rewriteRules = List.of(new RewriteRule("^(9", "$1"));
        assertThat(ConfigValidation.problems(c, "numbers")).containsExactly(
                "numbers.defaultRegionKnown is unknown: defaultRegion must be a region libphonenumber knows (ISO 3166 alpha-2, e.g. DE, GB, US)",
                "numbers.internationalPrefixes[1].<list element> must be digits",
                "numbers.rewriteRules[0].matchARegex is false: match is not a valid regular expression");
        assertThatThrownBy(() -> new NumberAnalyzer(c)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("defaultRegion must be a region libphonenumber knows");
        NumberConfig d = new NumberConfig();
        d.nationalPrefix = "0";
        assertThat(ConfigValidation.problems(d, "numbers")).containsExactly(
                "numbers.regionOfNationalPrefix is missing: nationalPrefix needs numbers.defaultRegion (which country's code replaces it)");
    }
}
