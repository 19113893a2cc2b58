package io.hepstack.collector.pipeline;

/** How a HEP packet reached the collector. */
public enum Transport {
    UDP("udp"), TCP("tcp"), TLS("tls"), FILE("file");

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The transport with this {@link #label()} (as a stored document's {@code hep.transport} says), else {@code otherwise}. */
    public static Transport ofLabel(String label, Transport otherwise) {
        for (Transport t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        return otherwise;
    }
}
