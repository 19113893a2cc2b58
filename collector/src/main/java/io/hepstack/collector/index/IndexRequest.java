package io.hepstack.collector.index;

/**
 * One document to store.
 *
 * @param index           concrete index name, e.g. {@code hep-sip-2026.01.01}
 * @param id              deterministic document id, so a replay never duplicates
 * @param source          the document as UTF-8 JSON
 * @param create          true: "create" (a second copy is a harmless 409 duplicate; used for messages);
 *                        false: "index" (overwrite; used for records that change, like TDRs)
 * @param externalVersion when &ge; 0, an external version: an older version arriving late (e.g. from the
 *                        spool) cannot overwrite a newer one
 * @param attempts        how many times it was sent already
 */
public record IndexRequest(String index, String id, byte[] source, boolean create, long externalVersion, int attempts) {

    public static IndexRequest create(String index, String id, byte[] source) {
        return new IndexRequest(index, id, source, true, -1, 0);
    }

    public static IndexRequest upsert(String index, String id, byte[] source, long version) {
        return new IndexRequest(index, id, source, false, version, 0);
    }

    IndexRequest retried() {
        return new IndexRequest(index, id, source, create, externalVersion, attempts + 1);
    }

    /** The index family: {@code sip} for {@code hep-sip-2026.01.01}. */
    public String family() {
        int first = index.indexOf('-');
        int last = index.lastIndexOf('-');
        return first >= 0 && last > first ? index.substring(first + 1, last) : index;
    }
}
