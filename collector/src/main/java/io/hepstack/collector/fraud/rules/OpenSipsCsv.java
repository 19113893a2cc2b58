package io.hepstack.collector.fraud.rules;

import io.hepstack.enricher.csv.Csv;
import io.hepstack.enricher.reload.LoadException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads fraud rules exported from the OpenSIPS {@code fraud_detection} table as CSV.
 *
 * <p>Accepted: a header row naming the columns (any order, any case, extra columns ignored), or no
 * header when the first field is a number (then the table's 16 columns in their schema order);
 * comma, semicolon or tab separators (taken from the first row); fields quoted with {@code "} and
 * {@code ""} for a quote inside (parsed by Apache Commons CSV; a quoted field may span lines); a
 * UTF-8 BOM; blank lines and lines starting with {@code #}. An empty
 * threshold, {@code NULL} or {@code \N} means 0 (off).
 */
public final class OpenSipsCsv {

    /** The table's columns in schema order. */
    public static final List<String> COLUMNS = List.of("ruleid", "profileid", "prefix", "start_hour", "end_hour",
            "daysoftheweek", "cpm_warning", "cpm_critical", "call_duration_warning", "call_duration_critical",
            "total_calls_warning", "total_calls_critical", "concurrent_calls_warning", "concurrent_calls_critical",
            "sequential_calls_warning", "sequential_calls_critical");

    private static final List<String> REQUIRED = COLUMNS.subList(0, 6);

    private OpenSipsCsv() {
    }

    public static List<FraudRule> read(Path file) throws LoadException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LoadException(file, 0, "cannot read: " + e, e);
        }
        return parse(file, text);
    }

    static List<FraudRule> parse(Path file, String text) throws LoadException {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        char sep = separator(text);
        List<Row> rows = rows(file, text, sep);
        List<FraudRule> rules = new ArrayList<>();
        if (rows.isEmpty()) {
            return rules;
        }
        Map<String, Integer> index = new HashMap<>();
        int first = 0;
        Row head = rows.get(0);
        if (isNumber(head.fields.get(0))) {
            for (int i = 0; i < COLUMNS.size(); i++) {
                index.put(COLUMNS.get(i), i);
            }
            if (head.fields.size() < COLUMNS.size()) {
                throw new LoadException(file, head.line, "no header row and " + head.fields.size()
                        + " columns; a headerless export needs the table's " + COLUMNS.size() + " columns");
            }
        } else {
            first = 1;
            for (int i = 0; i < head.fields.size(); i++) {
                String name = head.fields.get(i).trim().toLowerCase(Locale.ROOT);
                if (index.putIfAbsent(name, i) != null && COLUMNS.contains(name)) {
                    throw new LoadException(file, head.line, "column '" + name + "' appears twice in the header");
                }
            }
            for (String c : REQUIRED) {
                if (!index.containsKey(c)) {
                    throw new LoadException(file, head.line, "header has no '" + c + "' column (found: "
                            + String.join(", ", head.fields) + ")");
                }
            }
        }
        for (int r = first; r < rows.size(); r++) {
            Row row = rows.get(r);
            rules.add(RuleFields.toRule(new RuleFields() {
                @Override
                public String get(String column) {
                    Integer i = index.get(column);
                    if (i == null || i >= row.fields.size()) {
                        return null;
                    }
                    String v = row.fields.get(i).trim();
                    return v.equalsIgnoreCase("NULL") || v.equals("\\N") ? "" : v;
                }

                @Override
                public int lineOf(String column) {
                    return row.line;
                }
            }, file));
        }
        return rules;
    }

    private record Row(int line, List<String> fields) {
    }

    private static char separator(String text) {
        int commas = 0;
        int semis = 0;
        int tabs = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                if (c == '\n') {
                    if (commas + semis + tabs > 0) {
                        break;
                    }
                } else if (c == ',') {
                    commas++;
                } else if (c == ';') {
                    semis++;
                } else if (c == '\t') {
                    tabs++;
                }
            }
        }
        if (tabs > commas && tabs > semis) {
            return '\t';
        }
        return semis > commas ? ';' : ',';
    }

    /**
     * Splits into records with Apache Commons CSV (quotes may span lines; {@code #} at the start of a
     * line is a comment; blanks around a field dropped); remembers each record's first line.
     */
    private static List<Row> rows(Path file, String text, char sep) throws LoadException {
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(sep)
                .setCommentMarker('#')
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true)
                .get();
        LineIndex lines = new LineIndex(text);
        List<Row> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(text, format)) {
            for (CSVRecord r : parser) {
                if (r.size() == 1 && r.get(0).isBlank()) {
                    continue; // a line of blanks
                }
                rows.add(new Row(lines.recordLine(r.getCharacterPosition()), r.toList()));
            }
        } catch (UncheckedIOException | IOException e) {
            String m = String.valueOf((e instanceof UncheckedIOException ? e.getCause() : e).getMessage());
            Matcher at = START_LINE.matcher(m);
            int line = at.find() ? Integer.parseInt(at.group(1)) : 0;
            if (line == 0) {
                at = AT_LINE.matcher(m);
                line = at.find() ? Integer.parseInt(at.group(1)) : 0;
            }
            throw new LoadException(file, line, Csv.problem(e));
        }
        return rows;
    }

    private static final Pattern START_LINE = Pattern.compile("\\(startline (\\d+)\\)");
    private static final Pattern AT_LINE = Pattern.compile("at line: (\\d+)");

    /**
     * Line numbers of character positions. Commons CSV gives a record's start before the empty and
     * comment lines it skipped, so those are stepped over here.
     */
    private static final class LineIndex {
        private final String text;
        private final List<Integer> starts = new ArrayList<>();

        LineIndex(String text) {
            this.text = text;
            starts.add(0);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                    starts.add(i + 1);
                }
            }
        }

        int recordLine(long position) {
            int idx = Collections.binarySearch(starts, (int) position);
            int line = idx >= 0 ? idx : -idx - 2;
            while (line + 1 < starts.size() && skipped(line)) {
                line++;
            }
            return line + 1;
        }

        private boolean skipped(int line) {
            int from = starts.get(line);
            if (from >= text.length()) {
                return false;
            }
            char c = text.charAt(from);
            return c == '#' || c == '\n' || c == '\r';
        }
    }

    private static boolean isNumber(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
