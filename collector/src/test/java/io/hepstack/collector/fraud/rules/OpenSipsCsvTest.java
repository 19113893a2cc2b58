package io.hepstack.collector.fraud.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepstack.enricher.reload.LoadException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quoting and line numbers of the OpenSIPS CSV reader (Apache Commons CSV underneath). */
class OpenSipsCsvTest {

    private static final Path FILE = Path.of("rules.csv");
    private static final String HEADER = "ruleid,profileid,prefix,start_hour,end_hour,daysoftheweek,cpm_warning,cpm_critical\n";

    @Test
    void quotedCommasEmbeddedQuotesAndBlanksAroundQuotes() throws Exception {
        List<FraudRule> rules = OpenSipsCsv.parse(FILE, HEADER
                + "1,1,\"44\",09:00,17:00,\"Mon-Fri\",5,10\n"
                + "2, 1 ,  \"45\"  ,09:00,17:00,\"Mon,Tue\",\"5\",\"\"\n");
        assertThat(rules).extracting(FraudRule::ruleId).containsExactly(1, 2);
        assertThat(rules.get(1).prefix()).isEqualTo("45");
        assertThat(rules.get(1).line()).isEqualTo(3);
        assertThat(rules.get(1).days()).isNotEqualTo(rules.get(0).days()); // "Mon,Tue" stayed one field
        // an embedded "" is one quote character
        assertThat(OpenSipsCsv.parse(FILE, HEADER + "3,1,\"4\"\"4\",09:00,17:00,,5,10\n"))
                .extracting(FraudRule::prefix).containsExactly("4\"4");
    }

    @Test
    void recordsKeepTheLineTheyStartOnPastCommentsBlankLinesAndMultiLineFields() throws Exception {
        List<FraudRule> rules = OpenSipsCsv.parse(FILE, "# exported\r\n\r\n" + HEADER.replace("\n", "\r\n")
                + "# a comment\r\n"
                + "1,1,44,09:00,17:00,\"Mon-Fri\",5,10\r\n"
                + "\r\n"
                + "2,1,45,09:00,17:00,\"Mon-\r\nFri\",5,10\r\n"
                + "3,1,46,09:00,17:00,,5,10");
        assertThat(rules).extracting(FraudRule::line).containsExactly(5, 7, 9);
    }

    @Test
    void anUnterminatedQuoteNamesTheLineItStartsOn() {
        assertThatThrownBy(() -> OpenSipsCsv.parse(FILE, HEADER + "1,1,44,09:00,17:00,,5,10\n\n1,1,\"44,09:00\n"))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("rules.csv:4").hasMessageContaining("unterminated quoted field");
    }

    @Test
    void semicolonsAndTabsAreSeparatorsToo() throws Exception {
        assertThat(OpenSipsCsv.parse(FILE, HEADER.replace(',', ';') + "1;1;\"44\";09:00;17:00;\"Mon, Fri\";5;10\n"))
                .extracting(FraudRule::prefix).containsExactly("44");
        assertThat(OpenSipsCsv.parse(FILE, HEADER.replace(',', '\t') + "1\t1\t 44 \t09:00\t17:00\t\t5\t10\n"))
                .extracting(FraudRule::prefix).containsExactly("44");
    }
}
