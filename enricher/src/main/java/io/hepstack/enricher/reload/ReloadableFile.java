package io.hepstack.enricher.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A value loaded from a file and swapped atomically when the file changes.
 *
 * <p>{@link #current()} is a volatile read: cheap enough for the hot path. {@link #checkForChange()}
 * (called by a {@link FileWatcher}) reloads when the file's modification time or size changed;
 * {@link #reload()} forces it. A file that fails to load leaves the previous version active, and
 * the failure (file, line, reason) is kept in {@link #status()} and logged.
 */
public final class ReloadableFile<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadableFile.class);

    private final String name;
    private final Path file;
    private final FileLoader<T> loader;
    private final Clock clock;
    private final AtomicReference<T> value = new AtomicReference<>();
    private volatile LoadStatus status;
    private volatile String lastSeenStamp;

    public ReloadableFile(String name, Path file, FileLoader<T> loader) {
        this(name, file, loader, Clock.systemUTC());
    }

    public ReloadableFile(String name, Path file, FileLoader<T> loader, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.file = Objects.requireNonNull(file, "file");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.status = new LoadStatus(name, file, 0, -1, null, null, 0, null, 0);
    }

    /** Loads the file now; throws when this first load fails, so a broken config fails at start-up. */
    public ReloadableFile<T> loadInitial() throws LoadException {
        lastSeenStamp = stamp();
        T loaded = loader.load(file);
        accept(loaded);
        return this;
    }

    /** The active version, or null when nothing was ever loaded. */
    public T current() {
        return value.get();
    }

    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    public LoadStatus status() {
        return status;
    }

    /** Reloads when the file changed since the last attempt; returns true if a new version became active. */
    public boolean checkForChange() {
        String stamp = stamp();
        if (Objects.equals(stamp, lastSeenStamp)) {
            return false;
        }
        lastSeenStamp = stamp;
        return reload();
    }

    /** Loads the file now; on failure keeps the previous version and records the error. */
    public synchronized boolean reload() {
        try {
            lastSeenStamp = stamp();
            accept(loader.load(file));
            LOG.info("{}: loaded {} (version {}, {} rows)", name, file, status.version(), status.rows());
            return true;
        } catch (LoadException e) {
            fail(e.getMessage(), e.line());
            return false;
        } catch (RuntimeException e) {
            fail(file + ": " + e, 0);
            return false;
        }
    }

    private void accept(T loaded) {
        value.set(loaded);
        long rows = loaded instanceof Sized s ? s.size() : -1;
        LoadStatus old = status;
        status = new LoadStatus(name, file, old.version() + 1, rows, clock.instant(), null, 0, null, old.failures());
    }

    private void fail(String message, int line) {
        LoadStatus old = status;
        status = new LoadStatus(name, file, old.version(), old.rows(), old.loadedAt(), message, line,
                clock.instant(), old.failures() + 1);
        LOG.error("{}: could not load {}; {} — {}", name, file,
                old.version() > 0 ? "keeping version " + old.version() : "nothing loaded", message);
    }

    private String stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        }
    }
}
