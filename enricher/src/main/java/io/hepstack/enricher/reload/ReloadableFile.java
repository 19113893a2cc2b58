package io.hepstack.enricher.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * A value loaded from a file and swapped atomically when the file changes.
 *
 * <p>{@link #current()} is a volatile read: cheap enough for the hot path. {@link #checkForChange()}
 * (called by a {@link FileWatcher}) reloads when the file's modification time or size changed;
 * {@link #reload()} forces it. A file that fails to load leaves the previous version active, and
 * the failure (file, line, reason) is kept in {@link #status()} and logged. {@link ReloadListener}s
 * hear of every attempt after the swap. The file may be a directory (a tariff plan of several
 * files): it counts as changed when any regular file directly inside it changes.
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
    private final List<ReloadListener> listeners = new CopyOnWriteArrayList<>();

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
        T loaded;
        try {
            loaded = loader.load(file);
        } catch (LoadException e) {
            fail(e.getMessage(), e.line());
            throw e;
        }
        accept(loaded);
        notifyListeners(true);
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

    /** Adds a listener told of every later load attempt (see {@link ReloadListener}). */
    public ReloadableFile<T> addListener(ReloadListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
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
            notifyListeners(true);
            return true;
        } catch (LoadException e) {
            fail(e.getMessage(), e.line());
        } catch (RuntimeException e) {
            fail(file + ": " + e, 0);
        }
        notifyListeners(false);
        return false;
    }

    private void notifyListeners(boolean success) {
        LoadStatus s = status;
        for (ReloadListener l : listeners) {
            try {
                l.onLoad(s, success);
            } catch (RuntimeException e) { // a listener must not break reloading
                LOG.error("{}: reload listener failed", name, e);
            }
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
            if (a.isDirectory()) {
                return directoryStamp();
            }
            return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        }
    }

    private String directoryStamp() throws IOException {
        List<String> parts = new ArrayList<>();
        try (Stream<Path> children = Files.list(file)) {
            for (Path p : (Iterable<Path>) children.sorted()::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                if (a.isRegularFile()) {
                    parts.add(p.getFileName() + "=" + a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey());
                }
            }
        }
        return "dir:" + String.join(",", parts);
    }
}
