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
}
