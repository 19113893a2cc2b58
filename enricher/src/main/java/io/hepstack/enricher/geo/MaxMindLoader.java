package io.hepstack.enricher.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Metadata;
import com.maxmind.db.Reader;
import com.maxmind.geoip2.DatabaseReader;
import io.hepstack.enricher.reload.FileLoader;
import io.hepstack.enricher.reload.LoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Opens a MaxMind {@code .mmdb} file in {@link Reader.FileMode#MEMORY} mode: the file is read once and
 * closed, so replacing it on disk can never disturb lookups (a memory-mapped file that is truncated
 * in place would crash the JVM with SIGBUS). The database type must fit the role it is configured for.
 */
public final class MaxMindLoader implements FileLoader<MaxMindDb> {

    /** The role a database plays. */
    public enum Kind {
        CITY("City", "Enterprise"),
        COUNTRY("Country", "City", "Enterprise"),
        ASN("ASN", "ISP");

        private final List<String> acceptedTypes;

        Kind(String... acceptedTypes) {
            this.acceptedTypes = List.of(acceptedTypes);
        }

        boolean accepts(String databaseType) {
            return acceptedTypes.stream().anyMatch(databaseType::contains);
        }
    }

    private final Kind kind;
    private final List<String> locales;

    public MaxMindLoader(Kind kind, List<String> locales) {
        this.kind = kind;
        this.locales = locales == null || locales.isEmpty() ? List.of("en") : List.copyOf(locales);
    }

    @Override
    public MaxMindDb load(Path file) throws LoadException {
        if (!Files.isRegularFile(file)) {
            throw new LoadException(file, 0, "file not found");
        }
        DatabaseReader reader;
        try {
            // the node cache keeps decoded records: addresses of one network share them (new cache per version)
            reader = new DatabaseReader.Builder(file.toFile()).fileMode(Reader.FileMode.MEMORY).withCache(new CHMCache())
                    .locales(locales).build();
        } catch (IOException | RuntimeException e) {
            throw new LoadException(file, 0, "not a readable MaxMind database: " + e.getMessage(), e);
        }
        Metadata m = reader.metadata();
        String type = m.databaseType();
        if (!kind.accepts(type)) {
            throw new LoadException(file, 0, "database type '" + type + "' cannot serve as the "
                    + kind.name().toLowerCase(Locale.ROOT) + " database (expected " + kind.acceptedTypes + ")");
        }
        return new MaxMindDb(reader, type, m.buildTime(), m.nodeCount());
    }
}
