package io.hepstack.enricher.csv;

import io.hepstack.enricher.reload.LoadException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the comma-separated files of rate tables and lists: RFC 4180 quoting ({@code "a,b"},
 * {@code ""} for a quote), CRLF or LF, an optional UTF-8 byte-order mark, fields trimmed.
 * Small on purpose; every loader reports problems with the 1-based line number.
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
     * Splits one CSV line into trimmed fields.
     *
     * @throws IllegalArgumentException when a quoted field is not closed
     */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.toString().isBlank()) {
                cur.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                out.add(wasQuoted ? cur.toString() : cur.toString().trim());
                cur.setLength(0);
                wasQuoted = false;
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quoted field");
        }
        out.add(wasQuoted ? cur.toString() : cur.toString().trim());
        return out;
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
