package io.hepstack.collector.hep;

/**
 * What the Elasticsearch fields of a HEP header can hold (index-templates/component/hep-base.json),
 * so the decoder rejects a chunk value its field would refuse: a packet the decoder accepts is a
 * document Elasticsearch stores. HepFieldTypesTest checks every {@code hep.*} field of the template
 * against the largest value the decoder lets through.
 */
public final class HepFieldLimits {

    /** Largest value of an Elasticsearch {@code byte} field ({@code hep.ip_family}, {@code hep.version}). */
    public static final int MAX_BYTE_FIELD = Byte.MAX_VALUE;
    /** Longest keyword term Elasticsearch indexes, in UTF-8 bytes. */
    public static final int MAX_KEYWORD_BYTES = 32_766;

    private HepFieldLimits() {
    }
}
