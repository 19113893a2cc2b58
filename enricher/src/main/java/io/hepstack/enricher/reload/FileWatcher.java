package io.hepstack.enricher.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls registered files for changes on one daemon thread. Polling (modification time, size,
 * file key) rather than WatchService: it also sees files replaced by rename, on network and
 * container file systems, at a cost of one stat per file per interval.
 */
public final class FileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

    private final List<ReloadableFile<?>> files = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;

    public FileWatcher(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "file-watcher");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::pollAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public <T> ReloadableFile<T> watch(ReloadableFile<T> file) {
        files.add(file);
        return file;
    }

    public List<ReloadableFile<?>> files() {
        return List.copyOf(files);
    }

    /** Checks every file now (also used by tests and the reload endpoint). */
    public void pollAll() {
        for (ReloadableFile<?> f : files) {
            try {
                f.checkForChange();
            } catch (RuntimeException e) { // a background job never dies of one bad file
                LOG.error("reload check of {} failed", f.file(), e);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
