package io.hepstack.enricher.reload;

import java.nio.file.Path;

/** Parses one data file into an immutable value. Must not keep the file open. */
@FunctionalInterface
public interface FileLoader<T> {
    T load(Path file) throws LoadException;
}
