package io.hepstack.collector.pipeline;

/**
 * Where the pipeline's documents become durable (the bulk indexer): it marks a point in what it has
 * accepted and says when everything accepted before that point is stored, spooled or kept as a dead
 * letter. A write-ahead pipeline deletes a disk-buffer segment only when such a mark, taken after
 * the last of its messages left the stages, is reached: a crash in between replays the segment.
 */
public interface StoredMark {

    /** A mark after everything accepted so far. */
    long mark();

    /** Whether everything accepted before {@code mark} is durable. */
    boolean reached(long mark);
}
