package io.hepstack.enricher.blacklist;

import io.hepstack.enricher.csv.Csv;
import io.hepstack.enricher.csv.Header;
import io.hepstack.enricher.net.Cidr;
import io.hepstack.enricher.reload.FileLoader;
import io.hepstack.enricher.reload.LoadException;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads one IP blacklist file.
 *
 * <p>Tolerated: blank or whitespace-only lines, {@code #} comment lines (a FireHOL header's
 * {@code # Key : Value} lines are read), blanks around an entry, a comment after an entry
 * ({@code 192.0.2.1 # why} or {@code ; why}), CRLF line ends, a UTF-8 byte-order mark, duplicate
 * entries, an empty list. Errors (the whole file is rejected, so the previous version stays active):
 * anything else on a line — an octet above 255, a prefix beyond /32 or /128, a network with host bits
 * set ({@code 192.0.2.2/24}), text that is no address, a CIDR in a {@code hash:ip} (ipset) list, a
 * malformed CSV row or date. The exception names the first bad line and how many more there are.
 */
public final class IpListLoader implements FileLoader<IpList> {

    // date(1) output without the weekday, which is redundant and not always right (the sample says
    // "Wed Jan  1 ... 2026", a Thursday) and would make java.time reject the whole date
    private static final DateTimeFormatter FIREHOL_DATE =
            DateTimeFormatter.ofPattern("MMM d HH:mm:ss zzz yyyy", Locale.ENGLISH);

    private final String name;
    private final ListFormat format;
    private final String category;
    private final String source;

    /**
     * @param category overrides the file's own category when not null
     * @param source   overrides the file's own source (maintainer) when not null
     */
    public IpListLoader(String name, ListFormat format, String category, String source) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("blacklist name is empty");
        }
        this.name = name;
        this.format = format == null ? ListFormat.AUTO : format;
        this.category = category;
        this.source = source;
    }

    @Override
    public IpList load(Path file) throws LoadException {
        List<Csv.Line> lines = Csv.readLines(file);
        ListFormat f = format;
        if (f == ListFormat.AUTO) {
            f = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? ListFormat.CSV : ListFormat.AUTO;
        }
        return f == ListFormat.CSV ? loadCsv(file, lines) : loadText(file, lines, f);
    }

    private IpList loadText(Path file, List<Csv.Line> lines, ListFormat f) throws LoadException {
        Map<String, String> header = new LinkedHashMap<>();
        Errors errors = new Errors(file);
        boolean singleOnly = f == ListFormat.IPSET;
        // the header comes first, so read it before the entries (category/date go into every hit)
        for (Csv.Line l : lines) {
            String t = l.text().strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.charAt(0) != '#') {
                break;
            }
            readHeaderLine(t, header);
        }
        if (f == ListFormat.AUTO && header.keySet().stream().anyMatch(k -> k.contains("hash:ip"))) {
            singleOnly = true; // "# ipv4 hash:ip ipset": FireHOL's single-address lists
        }
        String cat = category != null ? category : header.get("Category");
        String src = source != null ? source : header.get("Maintainer");
        Instant date = parseFireholDate(header.get("Source File Date"));
        String version = header.get("Version");
        IpRangeSet.Builder<BlacklistHit> v4 = new IpRangeSet.Builder<>();
        IpRangeSet.Builder<BlacklistHit> v6 = new IpRangeSet.Builder<>();
        for (Csv.Line l : lines) {
            String t = l.text().strip();
            if (t.isEmpty() || t.charAt(0) == '#' || t.charAt(0) == ';') {
                continue;
            }
            int cut = indexOfComment(t);
            String entry = cut < 0 ? t : t.substring(0, cut).strip();
            if (entry.indexOf(' ') >= 0 || entry.indexOf('\t') >= 0) {
                errors.add(l.number(), "unexpected text after the address: '" + t + "'");
                continue;
            }
            Cidr c;
            try {
                c = Cidr.parse(entry);
            } catch (IllegalArgumentException e) {
                errors.add(l.number(), e.getMessage());
                continue;
            }
            if (singleOnly && !c.isSingleAddress()) {
                errors.add(l.number(), "network " + c + " in a hash:ip list (ipset format takes single addresses)");
                continue;
            }
            BlacklistHit hit = new BlacklistHit(name, cat, src, date, c.toString(), null, null);
            (c.base().isV4() ? v4 : v6).add(c, hit);
        }
        errors.throwIfAny();
        return new IpList(name, cat, src, date, version, Map.copyOf(header), v4.build(), v6.build());
    }

    private IpList loadCsv(Path file, List<Csv.Line> lines) throws LoadException {
        Errors errors = new Errors(file);
        Header header = null;
        int ipCol = -1;
        int srcCol = -1;
        int catCol = -1;
        int firstCol = -1;
        int lastCol = -1;
        IpRangeSet.Builder<BlacklistHit> v4 = new IpRangeSet.Builder<>();
        IpRangeSet.Builder<BlacklistHit> v6 = new IpRangeSet.Builder<>();
        for (Csv.Line l : lines) {
            String t = l.text();
            if (t.isBlank() || (header != null && t.strip().startsWith("#"))) {
                continue;
            }
            List<String> row;
            try {
                row = Csv.split(t);
            } catch (IllegalArgumentException e) {
                errors.add(l.number(), e.getMessage());
                continue;
            }
            if (header == null) {
                header = new Header(row);
                ipCol = header.find("ip", "cidr", "network", "address", "ip_address");
                srcCol = header.find("source");
                catCol = header.find("category");
                firstCol = header.find("first_seen");
                lastCol = header.find("last_seen");
                if (ipCol < 0) {
                    throw new LoadException(file, l.number(),
                            "CSV header has no 'ip' (or 'cidr') column: " + header.names());
                }
                continue;
            }
            Cidr c;
            try {
                c = Cidr.parse(Header.field(row, ipCol));
            } catch (IllegalArgumentException e) {
                errors.add(l.number(), e.getMessage());
                continue;
            }
            Instant first;
            Instant last;
            try {
                first = parseDate(Header.field(row, firstCol));
                last = parseDate(Header.field(row, lastCol));
            } catch (DateTimeParseException e) {
                errors.add(l.number(), "bad date '" + e.getParsedString() + "' (ISO-8601 date or date-time expected)");
                continue;
            }
            String rowSrc = emptyToNull(Header.field(row, srcCol));
            String rowCat = emptyToNull(Header.field(row, catCol));
            BlacklistHit hit = new BlacklistHit(name, rowCat != null ? rowCat : category,
                    rowSrc != null ? rowSrc : source, null, c.toString(), first, last);
            (c.base().isV4() ? v4 : v6).add(c, hit);
        }
        if (header == null) {
            throw new LoadException(file, 0, "CSV blacklist has no header row");
        }
        errors.throwIfAny();
        return new IpList(name, category, source, null, null, Map.of(), v4.build(), v6.build());
    }

    private static int indexOfComment(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '#' || c == ';') {
                return i;
            }
        }
        return -1;
    }

    private static void readHeaderLine(String t, Map<String, String> header) {
        String body = t.substring(1).strip();
        int colon = body.indexOf(':');
        // "Key : Value" or "Key: Value"; not "hash:ip" nor a URL
        boolean keyValue = colon > 0 && (colon + 1 == body.length() || body.charAt(colon + 1) == ' ');
        if (keyValue) {
            String key = body.substring(0, colon).strip();
            String value = body.substring(colon + 1).strip();
            if (!key.isEmpty() && !value.isEmpty()) {
                header.putIfAbsent(key, value);
            }
        } else if (!body.isEmpty()) {
            header.putIfAbsent(body, ""); // e.g. "ipv4 hash:net ipset"
        }
    }

    /** FireHOL writes dates as {@code date(1)} does: "Wed Jan  1 00:00:00 UTC 2026". */
    static Instant parseFireholDate(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            String t = s.strip().replaceAll(" +", " ");
            if (t.length() > 4 && t.charAt(3) == ' ' && isWeekday(t.substring(0, 3))) {
                t = t.substring(4);
            }
            return ZonedDateTime.parse(t, FIREHOL_DATE).toInstant();
        } catch (DateTimeParseException e) {
            return null; // informative only: an odd header date is not a reason to reject the list
        }
    }

    private static boolean isWeekday(String s) {
        return switch (s) {
            case "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" -> true;
            default -> false;
        };
    }

    static Instant parseDate(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = s.strip();
        if (t.length() == 10) {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
            return java.time.OffsetDateTime.parse(t.replace(' ', 'T')).toInstant();
        }
        return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Keeps the first problem and counts the rest, so one message says where to start fixing. */
    private static final class Errors {
        private final Path file;
        private int firstLine;
        private String firstReason;
        private int count;

        Errors(Path file) {
            this.file = file;
        }

        void add(int line, String reason) {
            if (count++ == 0) {
                firstLine = line;
                firstReason = reason;
            }
        }

        void throwIfAny() throws LoadException {
            if (count > 0) {
                throw new LoadException(file, firstLine, count == 1 ? firstReason
                        : firstReason + " (and " + (count - 1) + " more bad line" + (count > 2 ? "s" : "") + ")");
            }
        }
    }
}
