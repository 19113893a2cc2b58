package io.hepstack.enricher.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepstack.enricher.reload.LoadException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line splitting (Apache Commons CSV) with the quoting cases the rate and list files use. */
class CsvTest {

    @Test
    void unquotedFieldsAreTrimmedQuotedOnesKept() {
        assertThat(Csv.split(" 44 , 0.01 ,\" EUR \"")).containsExactly("44", "0.01", " EUR ");
        assertThat(Csv.split("a,,b,")).containsExactly("a", "", "b", "");
        assertThat(Csv.split("")).containsExactly("");
    }

    @Test
    void quotedCommasAndEmbeddedQuotes() {
        assertThat(Csv.split("44,\"United Kingdom, mobile\",0.02"))
                .containsExactly("44", "United Kingdom, mobile", "0.02");
        assertThat(Csv.split("1,\"the \"\"gold\"\" plan\",x")).containsExactly("1", "the \"gold\" plan", "x");
        assertThat(Csv.split("1,\"\"")).containsExactly("1", "");
        // a quote inside an unquoted field is a plain character
        assertThat(Csv.split("5\" screen,2")).containsExactly("5\" screen", "2");
        // blanks outside the quotes are dropped
        assertThat(Csv.split("  \"a,b\"  ,c")).containsExactly("a,b", "c");
    }

    @Test
    void badQuotingIsAnIllegalArgument() {
        assertThatThrownBy(() -> Csv.split("44,\"0.01")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated quoted field");
        assertThatThrownBy(() -> Csv.split("\"44\"x,0.01")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text after the closing quote of a quoted field");
    }

    @Test
    void linesLoseTheirBomAndCr(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.write(f, "\uFEFFprefix,rate\r\n44,\"1,5\"\r\n".getBytes(StandardCharsets.UTF_8));
        var lines = Csv.readLines(f);
        assertThat(lines).containsExactly(new Csv.Line(1, "prefix,rate"), new Csv.Line(2, "44,\"1,5\""));
        assertThat(Csv.split(lines.get(1).text())).containsExactly("44", "1,5");
        assertThatThrownBy(() -> Csv.readLines(dir.resolve("none.csv"))).isInstanceOf(LoadException.class)
                .hasMessageContaining("none.csv").hasMessageContaining("file not found");
    }
}
