package io.hepstack.enricher.rating;

import io.hepstack.enricher.csv.Csv;
import io.hepstack.enricher.csv.Header;
import io.hepstack.enricher.reload.LoadException;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Shared parsing of rate CSV rows: typed fields that fail with file, line and column. */
final class Rows {

    private Rows() {
    }

    /** A data row: its line number and fields. */
    record Row(int line, List<String> fields) {
    }

    /** The header and the data rows of a CSV file; '#' comment lines after the header are skipped. */
    record Table(Path file, Header header, int headerLine, List<Row> rows) {
        int require(String what, String... aliases) throws LoadException {
            int i = header.find(aliases);
            if (i < 0) {
                throw new LoadException(file, headerLine, "missing column '" + what + "' (header: " + header.names() + ")");
            }
            return i;
        }
    }

    static Table read(Path file) throws LoadException {
        Header header = null;
        int headerLine = 0;
        List<Row> rows = new ArrayList<>();
        for (Csv.Line l : Csv.readLines(file)) {
            if (l.text().isBlank() || (header != null && l.text().strip().startsWith("#"))) {
                continue;
            }
            List<String> f;
            try {
                f = Csv.split(l.text());
            } catch (IllegalArgumentException e) {
                throw new LoadException(file, l.number(), e.getMessage());
            }
            if (header == null) {
                header = new Header(f);
                headerLine = l.number();
            } else {
                rows.add(new Row(l.number(), f));
            }
        }
        if (header == null) {
            throw new LoadException(file, 0, "empty file: no header row");
        }
        return new Table(file, header, headerLine, rows);
    }

    static String text(Row r, int col) {
        return Header.field(r.fields(), col);
    }

    static BigDecimal decimal(Path file, Row r, int col, String what, BigDecimal dflt) throws LoadException {
        String s = text(r, col);
        if (s.isEmpty()) {
            if (dflt == null) {
                throw new LoadException(file, r.line(), what + " is empty");
            }
            return dflt;
        }
        try {
            BigDecimal v = new BigDecimal(s);
            if (v.signum() < 0) {
                throw new LoadException(file, r.line(), what + " must not be negative: '" + s + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new LoadException(file, r.line(), what + " is not a number: '" + s + "'");
        }
    }

    static long seconds(Path file, Row r, int col, String what, long dflt) throws LoadException {
        String s = text(r, col);
        if (s.isEmpty()) {
            return dflt;
        }
        try {
            long v = Long.parseLong(s.endsWith("s") ? s.substring(0, s.length() - 1) : s);
            if (v < 0) {
                throw new LoadException(file, r.line(), what + " must not be negative: '" + s + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new LoadException(file, r.line(), what + " is not a whole number of seconds: '" + s + "'");
        }
    }

    /** Digits of a prefix written as "44", "+44", "^44.*" (an ASTPP pattern) or "44*". */
    static String prefix(Path file, Row r, int col) throws LoadException {
        String s = text(r, col);
        if (s.startsWith("^")) {
            s = s.substring(1);
        }
        if (s.endsWith(".*")) {
            s = s.substring(0, s.length() - 2);
        }
        if (s.endsWith("*")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.isEmpty() || s.length() > RateTable.MAX_PREFIX || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new LoadException(file, r.line(), "prefix must be 1.." + RateTable.MAX_PREFIX + " digits: '" + text(r, col) + "'");
        }
        return s;
    }

    /** ISO date (start of that day, UTC), date-time with offset, or local date-time (UTC); empty → null. */
    static Instant instant(Path file, Row r, int col, String what) throws LoadException {
        String s = text(r, col);
        if (s.isEmpty()) {
            return null;
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            String t = s.replace(' ', 'T');
            char last = t.charAt(t.length() - 1);
            if (last == 'Z' || t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10) {
                return OffsetDateTime.parse(t).toInstant();
            }
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new LoadException(file, r.line(), what + " is not an ISO-8601 date or date-time: '" + s + "'");
        }
    }

    static void add(RateTable.Builder b, Path file, Row r, RateEntry e) throws LoadException {
        Integer earlier = b.add(e, r.line());
        if (earlier != null) {
            throw new LoadException(file, r.line(), "duplicate prefix " + e.prefix()
                    + (e.validFrom() == null ? "" : " valid from " + e.validFrom()) + " (first on line " + earlier + ")");
        }
    }
}
