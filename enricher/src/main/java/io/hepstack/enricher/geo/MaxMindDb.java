package io.hepstack.enricher.geo;

import com.maxmind.geoip2.DatabaseReader;
import io.hepstack.enricher.reload.Sized;

import java.time.Instant;

/** One loaded MaxMind database (held fully in memory, so the file can be replaced at any time). */
public record MaxMindDb(DatabaseReader reader, String databaseType, Instant buildDate, long nodeCount)
        implements Sized {

    /** Search-tree nodes: the closest thing an mmdb has to a row count. */
    @Override
    public long size() {
        return nodeCount;
    }
}
