package io.hepstack.enricher.geo;

/** Autonomous system of an address ({@code *.as.number}, {@code *.as.organization.name}); the name may be null. */
public record AsInfo(long number, String organizationName) {
}
