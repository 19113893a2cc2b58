/**
 * Files the collector writes so that nothing it accepted is lost when a later part is slow or down:
 * segment files of checksummed records ({@link io.hepstack.collector.journal.SegmentWriter},
 * {@link io.hepstack.collector.journal.SegmentReader}) and owner-only folders
 * ({@link io.hepstack.collector.journal.OwnerOnly}).
 *
 * <p>Segment layout (big-endian): int magic {@code 0x484a4e31} ("HJN1"), then records, each
 * {@code int length, int crc32c(bytes), bytes}. There is no record count in the header, so a
 * segment can be appended to while it grows; the end of the file is the end of the segment. A
 * record cut off by a crash (a truncated tail) or whose checksum does not match (a torn or
 * corrupted write) ends what can be trusted: the reader returns the records before it and says
 * what was wrong, and the caller decides (the spool and the spill buffer move such a segment aside).
 */
package io.hepstack.collector.journal;
