package io.hepstack.collector.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Timestamps} against java.time's own formatting, for the String and the generator paths. */
class TimestampsTest {

    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static String javaTime(long micros) {
        return MICROS.format(instant(micros));
    }

    private static String field(Timestamps t, long micros) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            t.writeIsoField(g, "@timestamp", micros);
            g.writeEndObject();
        }
        return out.toString();
    }

    @Test
    void matchesJavaTimeOnBothPaths() throws IOException {
        Timestamps t = new Timestamps();
        SplittableRandom random = new SplittableRandom(7);
        long[] fixed = {0, 1, 999_999, 1_767_225_600_000_000L, 1_767_225_599_999_999L, -1, -86_400_000_000L,
                951_782_400_000_000L /* 2000-02-29 */, 253_402_300_799_999_999L /* 9999-12-31T23:59:59.999999 */};
        for (long m : fixed) {
            assertThat(t.iso(m)).as("iso(%d)", m).isEqualTo(javaTime(m));
            assertThat(field(t, m)).isEqualTo("{\"@timestamp\":\"" + javaTime(m) + "\"}");
        }
        for (int i = 0; i < 10_000; i++) {
            long m = random.nextLong(0, 4_102_444_800_000_000L); // 1970 .. 2100, days in random order
            assertThat(t.iso(m)).isEqualTo(javaTime(m));
            assertThat(field(t, m)).isEqualTo("{\"@timestamp\":\"" + javaTime(m) + "\"}");
        }
    }

    @Test
    void yearsBeyondFourDigitsFallBackToInstantText() throws IOException {
        Timestamps t = new Timestamps();
        long m = 253_402_300_800_000_001L; // 10000-01-01T00:00:00.000001Z
        assertThat(t.iso(m)).isEqualTo("+10000-01-01T00:00:00.000001Z");
        assertThat(field(t, m)).isEqualTo("{\"@timestamp\":\"+10000-01-01T00:00:00.000001Z\"}");
        assertThat(t.iso(1_000_000)).isEqualTo("1970-01-01T00:00:01.000000Z"); // and back to normal
    }
}
