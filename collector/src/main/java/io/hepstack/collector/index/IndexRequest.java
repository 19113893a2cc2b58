package io.hepstack.collector.index;

/**
 * One document to store.
 *
 * @param index           concrete index name, e.g. {@code hep-sip-2026.01.01}
 * @param id              deterministic document id, so a replay never duplicates
 * @param source          the document as UTF-8 JSON: {@code source[0, length)}; the array is longer only
 *                        when it came from the bulk indexer's pool ({@link #pooled})
 * @param length          the document's length in {@code source}
 * @param create          true: "create" (a second copy is a harmless 409 duplicate; used for messages);
 *                        false: "index" (overwrite; used for records that change, like TDRs)
 * @param externalVersion when &ge; 0, an external version: an older version arriving late (e.g. from the
 *                        spool) cannot overwrite a newer one
 * @param attempts        how many times it was sent already
 * @param pooled          {@code source} belongs to the bulk indexer's pool: it goes back there once
 *                        the document is stored, spooled or dead-lettered (nothing else keeps it)
 */
public record IndexRequest(String index, String id, byte[] source, int length, boolean create, long externalVersion,
                           int attempts, boolean pooled) {

    public static IndexRequest create(String index, String id, byte[] source) {
        return new IndexRequest(index, id, source, source.length, true, -1, 0, false);
    }

    public static IndexRequest upsert(String index, String id, byte[] source, long version) {
        return new IndexRequest(index, id, source, source.length, false, version, 0, false);
    }

    /** A request whose document is {@code source[0, length)}, an array of the bulk indexer's pool. */
    static IndexRequest pooled(String index, String id, byte[] source, int length, boolean create, long version) {
        return new IndexRequest(index, id, source, length, create, create ? -1 : version, 0, true);
    }

    IndexRequest retried() {
        return new IndexRequest(index, id, source, length, create, externalVersion, attempts + 1, pooled);
    }

    /** The document's bytes in an array of their own (the source itself unless it is pooled). */
    public byte[] document() {
        return length == source.length ? source : java.util.Arrays.copyOf(source, length);
    }

    /** The index family: {@code sip} for {@code hep-sip-2026.01.01}. */
    public String family() {
        int first = index.indexOf('-');
        int last = index.lastIndexOf('-');
        return first >= 0 && last > first ? index.substring(first + 1, last) : index;
    }
}
