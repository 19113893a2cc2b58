package io.hepstack.collector.document;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.blacklist.BlacklistHit;
import io.hepstack.enricher.geo.AsInfo;
import io.hepstack.enricher.geo.GeoInfo;
import io.hepstack.enricher.number.NumberInfo;
import io.hepstack.enricher.rating.Rating;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.hepstack.collector.document.JsonDocument.str;

/**
 * Writes what the enricher found, with the field names of index-templates/: {@code *.geo.*},
 * {@code *.as.*}, {@code *.blacklist.*}, {@code *.ip_scope}, {@code number.*}, {@code rating.*},
 * and the top-level {@code blacklist.*} summary. Used for message documents and TDRs alike: TDRs
 * always get everything; a {@link MessageFields#LEAN} message document gets only the keys that join
 * it to its call and what its queries use (docs/documents.md).
 */
public final class EnrichmentFields {

    // scratch lists for the distinct values of blacklist hits (a handful each): reused, so
    // writing a blacklisted endpoint allocates nothing; this makes an instance single-threaded
    private final List<String> lists = new ArrayList<>();
    private final List<String> categories = new ArrayList<>();
    private final List<String> entries = new ArrayList<>();
    private final List<Instant> dates = new ArrayList<>();
    private final List<String> ips = new ArrayList<>();
    /** Text of the lists' source dates: a handful of instants, written for every listed endpoint. */
    private final Map<Instant, String> dateText = new HashMap<>();

    /** Inside an open {@code source}/{@code destination} object: everything the enricher found. */
    public void writeEndpoint(JsonGenerator g, IpInfo info) throws IOException {
        writeEndpoint(g, info, MessageFields.FULL);
    }

    /**
     * Inside an open {@code source}/{@code destination} object. Lean: the country ISO code (the
     * country dashboards and the TDR's country) and whether and on which lists the address is
     * blacklisted (the blacklist dashboard); city, region, location, time zone, AS, the address
     * scope and the listings' entries, categories and dates are on the TDR.
     */
    public void writeEndpoint(JsonGenerator g, IpInfo info, MessageFields fields) throws IOException {
        if (info == null) {
            return;
        }
        if (!fields.full()) {
            writeLeanEndpoint(g, info);
            return;
        }
        g.writeStringField("ip_scope", info.scope().label());
        GeoInfo geo = info.geo();
        if (geo != null) {
            g.writeObjectFieldStart("geo");
            str(g, "country_iso_code", geo.countryIsoCode());
            str(g, "country_name", geo.countryName());
            str(g, "city_name", geo.cityName());
            str(g, "region_iso_code", geo.regionIsoCode());
            str(g, "region_name", geo.regionName());
            str(g, "continent_code", geo.continentCode());
            str(g, "timezone", geo.timezone());
            if (geo.hasLocation()) {
                g.writeObjectFieldStart("location");
                g.writeNumberField("lat", geo.latitude());
                g.writeNumberField("lon", geo.longitude());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        AsInfo as = info.as();
        if (as != null) {
            g.writeObjectFieldStart("as");
            if (as.number() > 0) {
                g.writeNumberField("number", as.number());
            }
            if (as.organizationName() != null) {
                g.writeObjectFieldStart("organization");
                g.writeStringField("name", as.organizationName());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        if (info.blacklisted()) {
            g.writeObjectFieldStart("blacklist");
            g.writeBooleanField("hit", true);
            lists.clear();
            categories.clear();
            entries.clear();
            dates.clear();
            for (BlacklistHit h : info.blacklists()) {
                addDistinct(lists, h.list());
                if (h.category() != null) {
                    addDistinct(categories, h.category());
                }
                if (h.entry() != null) {
                    addDistinct(entries, h.entry());
                }
                if (h.sourceDate() != null) {
                    addDistinct(dates, h.sourceDate());
                }
            }
            array(g, "lists", lists);
            array(g, "categories", categories);
            array(g, "entries", entries);
            if (!dates.isEmpty()) {
                g.writeArrayFieldStart("dates");
                for (Instant d : dates) {
                    g.writeString(dateText(d));
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }

    private void writeLeanEndpoint(JsonGenerator g, IpInfo info) throws IOException {
        GeoInfo geo = info.geo();
        if (geo != null && geo.countryIsoCode() != null) {
            g.writeObjectFieldStart("geo");
            g.writeStringField("country_iso_code", geo.countryIsoCode());
            g.writeEndObject();
        }
        if (info.blacklisted()) {
            g.writeObjectFieldStart("blacklist");
            g.writeBooleanField("hit", true);
            lists.clear();
            for (BlacklistHit h : info.blacklists()) {
                addDistinct(lists, h.list());
            }
            array(g, "lists", lists);
            g.writeEndObject();
        }
    }

    /** Top-level {@code blacklist.*}: did either endpoint hit a list, and which. */
    public void writeBlacklistSummary(JsonGenerator g, IpInfo source, IpInfo destination) throws IOException {
        boolean s = source != null && source.blacklisted();
        boolean d = destination != null && destination.blacklisted();
        if (!s && !d) {
            return;
        }
        lists.clear();
        categories.clear();
        ips.clear();
        if (s) {
            summarise(source);
        }
        if (d) {
            summarise(destination);
        }
        g.writeObjectFieldStart("blacklist");
        g.writeBooleanField("hit", true);
        array(g, "sources", lists);
        array(g, "categories", categories);
        array(g, "ips", ips);
        g.writeEndObject();
    }

    private String dateText(Instant d) {
        String t = dateText.get(d);
        if (t == null) {
            t = d.toString();
            if (dateText.size() < 1024) {
                dateText.put(d, t);
            }
        }
        return t;
    }

    private void summarise(IpInfo info) {
        addDistinct(ips, info.ip());
        for (BlacklistHit h : info.blacklists()) {
            addDistinct(lists, h.list());
            if (h.category() != null) {
                addDistinct(categories, h.category());
            }
        }
    }

    /** Set semantics in insertion order, as LinkedHashSet (null included), for a handful of values. */
    private static <T> void addDistinct(List<T> list, T value) {
        if (!list.contains(value)) {
            list.add(value);
        }
    }

    /** Inside an open party/URI object: {@code number.*}, the whole analysis. */
    public void writeNumber(JsonGenerator g, NumberInfo n) throws IOException {
        writeNumber(g, n, MessageFields.FULL);
    }

    /** {@link #writeNumber(JsonGenerator, NumberInfo, MessageFields, String)} of a party without a URI user. */
    public void writeNumber(JsonGenerator g, NumberInfo n, MessageFields fields) throws IOException {
        writeNumber(g, n, fields, null);
    }

    /**
     * Inside an open party/URI object: {@code number.*}. Lean: the e.164 number (what searches and
     * scopes match), nothing for a number that is not e.164, and not when it is the URI's user as
     * written ({@code user}: its {@code uri.username}), which every search and scope of a number looks
     * in too; the analysis (country code, region, type, carrier) is the TDR's.
     */
    public void writeNumber(JsonGenerator g, NumberInfo n, MessageFields fields, String user) throws IOException {
        if (n == null) {
            return;
        }
        if (!fields.full()) {
            // lean: only an e.164 number that is not the URI's user as written; its country code and
            // the rest of the analysis are on the TDR (and the message view looks them up)
            if (n.e164() != null && !n.e164().equals(user)) {
                g.writeObjectFieldStart("number");
                g.writeStringField("e164", n.e164());
                g.writeEndObject();
            }
            return;
        }
        g.writeObjectFieldStart("number");
        str(g, "e164", n.e164());
        if (n.countryCode() != null) {
            g.writeNumberField("country_code", n.countryCode());
        }
        str(g, "region_code", n.regionCode());
        str(g, "type", n.type());
        str(g, "description", n.geo());
        str(g, "carrier", n.carrier());
        g.writeBooleanField("valid", n.valid());
        g.writeEndObject();
    }

    /** Top-level {@code rating.*}. */
    public void writeRating(JsonGenerator g, Rating r) throws IOException {
        if (r == null) {
            return;
        }
        g.writeObjectFieldStart("rating");
        g.writeNumberField("cost", r.cost());
        str(g, "currency", r.currency());
        str(g, "prefix", r.prefix());
        str(g, "destination", r.destination());
        if (r.ratePerMinute() != null) {
            g.writeNumberField("rate", r.ratePerMinute());
        }
        if (r.connectFee() != null) {
            g.writeNumberField("connect_fee", r.connectFee());
        }
        str(g, "table", r.table());
        g.writeNumberField("billed_s", r.billedSeconds());
        g.writeEndObject();
    }

    private static void array(JsonGenerator g, String name, List<String> values) throws IOException {
        if (values.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
