package io.hepstack.enricher.reload;

/** Loaded values that can say how many rows/entries they hold (shown in reload status). */
public interface Sized {
    long size();
}
