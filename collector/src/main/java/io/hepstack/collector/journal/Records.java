package io.hepstack.collector.journal;

import java.io.IOException;

/** What {@link DiskBuffer} appends: records by index, their size in a segment, and how a run of them is written. */
interface Records {

    int size();

    /** Bytes record {@code i} takes in a segment, its frame included. */
    int framedLength(int i);

    /** Appends records {@code [from, to)} to {@code segment}. */
    void writeTo(SegmentWriter segment, int from, int to) throws IOException;
}
