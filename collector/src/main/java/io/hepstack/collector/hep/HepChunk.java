package io.hepstack.collector.hep;

/** A HEP3 chunk kept as it came: a vendor chunk, or a generic type this version does not interpret. */
public record HepChunk(int vendorId, int typeId, byte[] value) {
}
