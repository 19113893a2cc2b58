package io.hepstack.collector.ingest;

import io.hepstack.collector.hep.HepAuthenticator;
import io.hepstack.enricher.reload.LoadException;
import io.hepstack.enricher.reload.ReloadableFile;
import io.hepstack.enricher.reload.Sized;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HEP auth keys the collector accepts, per agent: from the config ({@code hep.authKey},
 * {@code hep.authKeys}) and from a file reloaded when it changes ({@code hep.authKeysFile}). A
 * key may be bound to capture ids, so one agent's key cannot speak for another's capture id.
 *
 * <p>Keys are looked up by their SHA-256 digest: the lookup's timing says nothing about how much
 * of a guessed key was right, and no key is kept in the clear. Thread-safe: the table is replaced
 * whole on reload ({@link ReloadableFile#current()} is a volatile read).
 */
public final class HepAuthKeys implements HepAuthenticator {

    /** Capture ids one key admits; empty: any. */
    record Agent(String name, Set<Long> captureIds) {
    }

    /** Keys by digest (immutable once built). */
    record Table(Map<Digest, Agent> keys) implements Sized {
        @Override
        public long size() {
            return keys.size();
        }
    }

    /** A SHA-256 digest as a map key. */
    record Digest(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Digest d && MessageDigest.isEqual(bytes, d.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }

    private final Table fixed;
    private final ReloadableFile<Table> file;

    private HepAuthKeys(Table fixed, ReloadableFile<Table> file) {
        this.fixed = fixed;
        this.file = file;
    }

    /** The keys of {@code config}, or null when none is configured (every packet is accepted). */
    public static HepAuthKeys of(HepListenerConfig config) throws LoadException {
        Map<Digest, Agent> keys = new HashMap<>();
        if (config.authKey != null && !config.authKey.isBlank()) {
            keys.put(digest(config.authKey), new Agent("default", Set.of()));
        }
        for (HepListenerConfig.AuthKey k : config.authKeys) {
            keys.put(digest(k.key), new Agent(k.agent == null ? "agent-" + keys.size() : k.agent, Set.copyOf(k.captureIds)));
        }
        ReloadableFile<Table> file = null;
        if (config.authKeysFile != null && !config.authKeysFile.isBlank()) {
            file = new ReloadableFile<>("hep-auth-keys", Path.of(config.authKeysFile), HepAuthKeys::load).loadInitial();
        }
        if (keys.isEmpty() && file == null) {
            return null;
        }
        return new HepAuthKeys(new Table(Map.copyOf(keys)), file);
    }

    /** The reloadable file of keys, or null. */
    public ReloadableFile<Table> file() {
        return file;
    }

    @Override
    public boolean accepts(byte[] key, long captureId) {
        if (key == null) {
            return false;
        }
        Digest d = new Digest(sha256(key));
        Agent a = fixed.keys.get(d);
        if (a == null && file != null) {
            a = file.current().keys.get(d);
        }
        return a != null && (a.captureIds.isEmpty() || a.captureIds.contains(captureId));
    }

    /** {@code agent key [captureId ...]} a line; blank lines and {@code #} comments skipped. */
    static Table load(Path path) throws LoadException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LoadException(path, 0, "cannot read: " + e.getMessage(), e);
        }
        Map<Digest, Agent> keys = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (f.length == 1 && f[0].isEmpty()) {
                continue;
            }
            if (f.length < 2) {
                throw new LoadException(path, i + 1, "expected 'agent key [captureId ...]'");
            }
            Set<Long> ids = new HashSet<>();
            for (int j = 2; j < f.length; j++) {
                try {
                    ids.add(Long.parseLong(f[j]));
                } catch (NumberFormatException e) {
                    throw new LoadException(path, i + 1, "capture id is not a number: " + f[j]);
                }
            }
            if (keys.put(digest(f[1]), new Agent(f[0], Set.copyOf(ids))) != null) {
                throw new LoadException(path, i + 1, "the key of agent " + f[0] + " is given twice");
            }
        }
        return new Table(Map.copyOf(keys));
    }

    private static Digest digest(String key) {
        return new Digest(sha256(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
