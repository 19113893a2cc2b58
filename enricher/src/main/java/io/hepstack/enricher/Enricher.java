package io.hepstack.enricher;

import io.hepstack.enricher.blacklist.BlacklistListConfig;
import io.hepstack.enricher.blacklist.Blacklists;
import io.hepstack.enricher.blacklist.IpList;
import io.hepstack.enricher.blacklist.IpListLoader;
import io.hepstack.enricher.blacklist.ListFormat;
import io.hepstack.enricher.cache.BoundedCache;
import io.hepstack.enricher.dnsbl.DnsResolver;
import io.hepstack.enricher.dnsbl.Dnsbl;
import io.hepstack.enricher.dnsbl.DnsblConfig;
import io.hepstack.enricher.dnsbl.DnsblResult;
import io.hepstack.enricher.dnsbl.JndiDnsResolver;
import io.hepstack.enricher.geo.GeoIp;
import io.hepstack.enricher.geo.MaxMindDb;
import io.hepstack.enricher.geo.MaxMindLoader;
import io.hepstack.enricher.net.IpAddress;
import io.hepstack.enricher.number.NumberAnalyzer;
import io.hepstack.enricher.number.NumberInfo;
import io.hepstack.enricher.rating.RateQuery;
import io.hepstack.enricher.rating.RateTable;
import io.hepstack.enricher.rating.RateTableConfig;
import io.hepstack.enricher.rating.Rater;
import io.hepstack.enricher.rating.Rating;
import io.hepstack.enricher.reload.FileWatcher;
import io.hepstack.enricher.reload.LoadException;
import io.hepstack.enricher.reload.LoadStatus;
import io.hepstack.enricher.reload.ReloadListener;
import io.hepstack.enricher.reload.ReloadableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The enricher as the collector uses it: built once from {@link EnricherConfig}, owns the watched
 * files and answers the hot path's questions (thread-safe, non-blocking, cached).
 *
 * <ul>
 *   <li>{@link #ip} — scope, geo, AS and blacklist hits of an address, cached per address; the
 *       cache is invalidated whenever a GeoIP database or blacklist reloads.</li>
 *   <li>{@link #number} — e.164 analysis of a SIP/tel URI or user part, cached per input.</li>
 *   <li>{@link #rate} — price of a call.</li>
 *   <li>{@link #dnsbl} — DNS blocklists, asynchronous (off unless configured).</li>
 *   <li>{@link #status()}, {@link #notes()}, {@link #reloadAll()}, {@link #addReloadListener} — for
 *       the admin endpoint, health check and metrics.</li>
 * </ul>
 *
 * A missing or unreadable GeoIP database disables that part with a warning and a note (and loads
 * as soon as the file appears); a rate table or blacklist that fails its first load fails
 * {@link #build}, naming file, line and reason. Later failures keep the previous version.
 */
public final class Enricher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Enricher.class);

    private final FileWatcher watcher;
    private final List<ReloadableFile<?>> files;
    private final GeoIp geo;
    private final NumberAnalyzer numbers;
    private final Rater rater;
    private final Blacklists blacklists;
    private final Dnsbl dnsbl;
    private final BoundedCache<IpAddress, IpInfo> ipCache;
    private final AtomicLong ipGeneration = new AtomicLong();
    private final List<ReloadListener> listeners = new CopyOnWriteArrayList<>();
    private final Function<IpAddress, IpInfo> computeIp = this::computeIp;

    private Enricher(FileWatcher watcher, List<ReloadableFile<?>> files, GeoIp geo, NumberAnalyzer numbers,
                     Rater rater, Blacklists blacklists, Dnsbl dnsbl, int ipCacheSize) {
        this.watcher = watcher;
        this.files = List.copyOf(files);
        this.geo = geo;
        this.numbers = numbers;
        this.rater = rater;
        this.blacklists = blacklists;
        this.dnsbl = dnsbl;
        this.ipCache = new BoundedCache<>(ipCacheSize);
    }

    /** Validates {@code config}, loads every file and starts watching them. */
    public static Enricher build(EnricherConfig config) throws EnricherException {
        DnsblConfig d = config.dnsbl;
        DnsResolver resolver = d != null && d.enabled
                ? new JndiDnsResolver(d.server, Duration.ofMillis(d.timeout.toMilliseconds())) : null;
        return build(config, resolver, Clock.systemUTC());
    }

    /** As {@link #build(EnricherConfig)}, with the DNS resolver and clock given (tests). */
    public static Enricher build(EnricherConfig config, DnsResolver resolver, Clock clock) throws EnricherException {
        List<String> problems = config.validate();
        if (!problems.isEmpty()) {
            throw new EnricherException(problems);
        }
        List<ReloadableFile<?>> files = new ArrayList<>();
        List<ReloadableFile<?>> ipSources = new ArrayList<>();
        FileWatcher watcher = new FileWatcher(Duration.ofMillis(config.reloadInterval.toMilliseconds()));
        Dnsbl dnsbl = null;
        try {
            GeoIp geo = null;
            if (config.geoip != null && config.geoip.enabled) {
                var g = config.geoip;
                ReloadableFile<MaxMindDb> city = mmdb("geoip.city", g.cityDatabase, MaxMindLoader.Kind.CITY, g.locales, clock);
                ReloadableFile<MaxMindDb> country = mmdb("geoip.country", g.countryDatabase, MaxMindLoader.Kind.COUNTRY, g.locales, clock);
                ReloadableFile<MaxMindDb> asn = mmdb("geoip.asn", g.asnDatabase, MaxMindLoader.Kind.ASN, g.locales, clock);
                for (ReloadableFile<MaxMindDb> f : java.util.Arrays.asList(city, country, asn)) {
                    if (f != null) {
                        files.add(f);
                        ipSources.add(f);
                    }
                }
                geo = new GeoIp(city, country, asn);
            }
            NumberAnalyzer numbers = config.numbers != null && config.numbers.enabled
                    ? new NumberAnalyzer(config.numbers) : null;
            Rater rater = null;
            if (config.rating != null && config.rating.enabled && !config.rating.tables.isEmpty()) {
                Map<String, ReloadableFile<RateTable>> tables = new LinkedHashMap<>();
                for (RateTableConfig t : config.rating.tables) {
                    ReloadableFile<RateTable> f = new ReloadableFile<>("rating." + t.name, Path.of(t.file),
                            Rater.loader(t), clock);
                    f.loadInitial();
                    tables.put(t.name, f);
                    files.add(f);
                }
                rater = new Rater(tables, config.rating.rules, config.rating.defaultTable,
                        config.rating.chargeConnectFeeOnFailure);
            }
            Blacklists blacklists = null;
            if (config.blacklists != null && config.blacklists.enabled && !config.blacklists.lists.isEmpty()) {
                List<ReloadableFile<IpList>> lists = new ArrayList<>();
                for (BlacklistListConfig l : config.blacklists.lists) {
                    ReloadableFile<IpList> f = new ReloadableFile<>("blacklist." + l.name, Path.of(l.file),
                            new IpListLoader(l.name, ListFormat.parse(l.format), l.category, l.source), clock);
                    f.loadInitial();
                    lists.add(f);
                    files.add(f);
                    ipSources.add(f);
                }
                blacklists = new Blacklists(lists);
            }
            DnsblConfig d = config.dnsbl;
            if (d != null && d.enabled) {
                dnsbl = new Dnsbl(d.zones, resolver, Duration.ofMillis(d.cacheTtl.toMilliseconds()),
                        Duration.ofMillis(d.errorTtl.toMilliseconds()), d.maxConcurrent, d.maxQueued, d.cacheSize, clock);
            }
            Enricher e = new Enricher(watcher, files, geo, numbers, rater, blacklists, dnsbl, config.ipCacheSize);
            for (ReloadableFile<?> f : files) {
                boolean ipSource = ipSources.contains(f);
                f.addListener((status, success) -> e.onLoad(status, success, ipSource));
                watcher.watch(f);
            }
            return e;
        } catch (LoadException ex) {
            watcher.close();
            if (dnsbl != null) {
                dnsbl.close();
            }
            throw new EnricherException(ex.getMessage(), ex);
        } catch (RuntimeException ex) {
            watcher.close();
            if (dnsbl != null) {
                dnsbl.close();
            }
            throw new EnricherException("enricher: " + ex.getMessage(), ex);
        }
    }

    /** A GeoIP database role: null when not configured; a failed first load is a warning, not an error. */
    private static ReloadableFile<MaxMindDb> mmdb(String name, String file, MaxMindLoader.Kind kind,
                                                  List<String> locales, Clock clock) {
        if (file == null || file.isBlank()) {
            return null;
        }
        ReloadableFile<MaxMindDb> f = new ReloadableFile<>(name, Path.of(file), new MaxMindLoader(kind, locales), clock);
        try {
            f.loadInitial();
        } catch (LoadException e) {
            LOG.warn("{} disabled until {} can be loaded: {}", name, file, e.getMessage());
        }
        return f;
    }

    private void onLoad(LoadStatus status, boolean success, boolean ipSource) {
        if (success && ipSource) {
            ipGeneration.incrementAndGet(); // after the swap: older cache entries stop matching
        }
        for (ReloadListener l : listeners) {
            try {
                l.onLoad(status, success);
            } catch (RuntimeException ex) {
                LOG.error("enricher reload listener failed", ex);
            }
        }
    }

    // ---- hot path ------------------------------------------------------------------------------

    /** Analysis of an address literal; null when {@code ip} is not one (host names are not resolved). */
    public IpInfo ip(String ip) {
        IpAddress a = IpAddress.parse(ip);
        return a == null ? null : ip(a);
    }

    /** Analysis of 4 or 16 network-order bytes; null for other lengths. */
    public IpInfo ip(byte[] address) {
        IpAddress a = IpAddress.of(address);
        return a == null ? null : ip(a);
    }

    public IpInfo ip(IpAddress address) {
        return ipCache.computeIfAbsent(address, ipGeneration.get(), computeIp);
    }

    private IpInfo computeIp(IpAddress a) {
        var scope = a.scope();
        boolean lookup = scope.isPublic() && geo != null;
        return new IpInfo(a, scope, lookup ? geo.geo(a) : null, lookup ? geo.as(a) : null,
                blacklists == null ? List.of() : blacklists.find(a));
    }

    /** e.164 analysis of a SIP/tel URI or user part; null when it is not a number or numbers are disabled. */
    public NumberInfo number(String uriOrUser) {
        return numbers == null ? null : numbers.analyze(uriOrUser);
    }

    /** Price of a call; null when rating is off or nothing matches. */
    public Rating rate(RateQuery query) {
        return rater == null ? null : rater.rate(query);
    }

    /**
     * DNSBL verdict for a public address: cached, or UNKNOWN while a lookup runs in the background.
     * Null when DNSBL is off or the address is not public.
     */
    public DnsblResult dnsbl(IpAddress address) {
        return dnsbl == null || !address.scope().isPublic() ? null : dnsbl.check(address);
    }

    // ---- operations ----------------------------------------------------------------------------

    /** Status of every watched file (name, file, version, rows, loaded at, last error and line, failures). */
    public List<LoadStatus> status() {
        return files.stream().map(ReloadableFile::status).toList();
    }

    /**
     * Human-readable notes for the health check: parts that are disabled or running on an older
     * version because a file failed. Empty when everything is loaded and current.
     */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        for (ReloadableFile<?> f : files) {
            LoadStatus s = f.status();
            if (s.version() == 0) {
                notes.add(s.name() + ": not loaded, feature disabled: " + s.lastError());
            } else if (s.lastError() != null) {
                notes.add(s.name() + ": keeping version " + s.version() + "; last reload failed: " + s.lastError());
            }
        }
        if (geo != null && !geo.geoAvailable() && files.stream().anyMatch(f -> f.name().startsWith("geoip."))) {
            notes.add("geoip: no City or Country database loaded: geo fields are empty");
        }
        return notes;
    }

    /** Reloads every file now (admin endpoint); returns the statuses afterwards. */
    public List<LoadStatus> reloadAll() {
        for (ReloadableFile<?> f : files) {
            f.reload();
        }
        return status();
    }

    /** Checks every file for changes now instead of waiting for the next poll. */
    public void checkForChanges() {
        watcher.pollAll();
    }

    /** Told of every load attempt of every file (e.g. to count reloads ok/failed per file). */
    public void addReloadListener(ReloadListener listener) {
        listeners.add(listener);
    }

    public BoundedCache<IpAddress, IpInfo> ipCache() {
        return ipCache;
    }

    /** The number cache, or null when numbers are disabled. */
    public BoundedCache<String, NumberInfo> numberCache() {
        return numbers == null ? null : numbers.cache();
    }

    /** The DNSBL checker (for its counters), or null when off. */
    public Dnsbl dnsblChecker() {
        return dnsbl;
    }

    /** GeoIP lookups that failed inside the reader, 0 without GeoIP. */
    public long geoErrors() {
        return geo == null ? 0 : geo.errors();
    }

    @Override
    public void close() {
        watcher.close();
        if (dnsbl != null) {
            dnsbl.close();
        }
    }
}
