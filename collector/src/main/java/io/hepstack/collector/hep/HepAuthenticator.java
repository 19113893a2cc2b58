package io.hepstack.collector.hep;

/**
 * Decides whether a HEP3 packet's auth key (chunk 0x000e) admits it. Called by {@link HepDecoder}
 * on the event loop, after the chunks are read and before a compressed payload is inflated, so an
 * unauthenticated sender costs no inflation. Implementations must be thread-safe and must not leak
 * through timing which bytes of a key matched (compare digests, or compare in constant time).
 */
@FunctionalInterface
public interface HepAuthenticator {

    /**
     * @param key       the value of chunk 0x000e, or {@code null} when the packet has none
     * @param captureId the packet's capture id (chunk 0x000c), or -1
     * @return true to accept the packet
     */
    boolean accepts(byte[] key, long captureId);
}
