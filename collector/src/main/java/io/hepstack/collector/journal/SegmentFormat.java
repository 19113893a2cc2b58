package io.hepstack.collector.journal;

/** The constants of the segment layout described in {@code package-info.java}. */
final class SegmentFormat {

    static final int MAGIC = 0x484a4e31; // "HJN1"
    static final int HEADER = 4;
    static final int RECORD_HEADER = 8;
    /** No record is larger: a bigger length field is corruption, not a record (and must not allocate). */
    static final int MAX_RECORD = 64 << 20;

    private SegmentFormat() {
    }
}
