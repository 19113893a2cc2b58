package io.hepstack.enricher.reload;

/**
 * Told after every load attempt of a {@link ReloadableFile}, once the new version (if any) is active.
 * Called on the thread that loaded the file (the watcher's, or a caller of {@code reload()}); must be
 * quick and must not throw (a throwing listener is logged and ignored).
 */
@FunctionalInterface
public interface ReloadListener {
    /**
     * @param status  the file's status after the attempt
     * @param success true when a new version became active
     */
    void onLoad(LoadStatus status, boolean success);
}
