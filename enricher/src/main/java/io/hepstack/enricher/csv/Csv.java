package io.hepstack.enricher.csv;

import io.hepstack.enricher.reload.LoadException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the comma-separated files of rate tables and lists: line by line (CRLF or LF, an optional
 * UTF-8 byte-order mark), each line split by Apache Commons CSV (RFC 4180 quoting: {@code "a,b"},
 * {@code ""} for a quote; unquoted fields trimmed). Line by line so that every loader reports
 * problems with the 1-based line number and can go on after a bad line.
 */
public final class Csv {

    private Csv() {
    }

    /** One line of a file: its number and its raw text (without line ending). */
    public record Line(int number, String text) {
    }

    /** Reads all lines (UTF-8), stripping a BOM and a trailing CR. */
    public static List<Line> readLines(Path file) throws LoadException {
        List<Line> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String s;
            int n = 0;
            while ((s = r.readLine()) != null) {
                n++;
                if (n == 1 && !s.isEmpty() && s.charAt(0) == '\uFEFF') {
                    s = s.substring(1);
                }
                if (!s.isEmpty() && s.charAt(s.length() - 1) == '\r') {
                    s = s.substring(0, s.length() - 1);
                }
                lines.add(new Line(n, s));
            }
        } catch (NoSuchFileException e) {
            throw new LoadException(file, 0, "file not found");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new LoadException(file, 0, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new LoadException(file, 0, "cannot read: " + e, e);
        }
        return lines;
    }

    /**
     * One line of RFC 4180 CSV as read by Apache Commons CSV: comma-separated, {@code "} quotes with
     * {@code ""} for a quote inside, blanks around a field (outside its quotes) dropped, no comment
     * marker (the loaders decide which lines are comments, a header may start with {@code #}).
     */
    public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(false)
            .get();

    /**
     * Splits one CSV line into fields (Apache Commons CSV, {@link #FORMAT}): unquoted fields trimmed,
     * quoted ones kept as written between their quotes.
     *
     * @throws IllegalArgumentException when a quoted field is not closed, or text follows its closing quote
     */
    public static List<String> split(String line) {
        try (CSVParser p = CSVParser.parse(line, FORMAT)) {
            Iterator<CSVRecord> it = p.iterator();
            return it.hasNext() ? it.next().toList() : List.of("");
        } catch (UncheckedIOException | IOException e) {
            throw new IllegalArgumentException(problem(e), e);
        }
    }

    /** The reason of a Commons CSV parse failure, in the words the loaders have always used. */
    public static String problem(Exception e) {
        Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String m = String.valueOf(t.getMessage());
        if (m.contains("EOF reached before encapsulated token finished")) {
            return "unterminated quoted field";
        }
        if (m.contains("Invalid character between encapsulated token and delimiter")) {
            return "text after the closing quote of a quoted field";
        }
        return m;
    }

    /** True for lines a loader skips: blank, or a comment starting with {@code #} (after blanks). */
    public static boolean isBlankOrComment(String line) {
        String t = line.strip();
        return t.isEmpty() || t.charAt(0) == '#';
    }

    /** Header name normalised for matching: lower case, quotes/'#'/blanks removed, inner spaces as '_'. */
    public static String normalizeHeader(String h) {
        String t = h.strip();
        while (t.startsWith("#") || t.startsWith("\"")) {
            t = t.substring(1).strip();
        }
        while (t.endsWith("\"")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = Character.toLowerCase(t.charAt(i));
            sb.append(c == ' ' || c == '-' ? '_' : c);
        }
        return sb.toString();
    }
}
