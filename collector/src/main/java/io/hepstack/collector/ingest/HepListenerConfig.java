package io.hepstack.collector.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/** HEP listeners: where they bind and how they treat what arrives. */
public class HepListenerConfig {

    /** One listening socket. */
    public static class Socket {
        @JsonProperty
        public boolean enabled = true;
        @JsonProperty
        @NotEmpty
        public String bind = "0.0.0.0";
        @JsonProperty
        @Min(0)
        @Max(65535)
        public int port = 9060;
        /** UDP: kernel receive buffer (bursts are absorbed here); TCP: per-connection buffer. */
        @JsonProperty
        @Min(0)
        public int receiveBufferBytes = 8 << 20;
        /** UDP: sockets bound with SO_REUSEPORT (native epoll only); TCP: I/O threads. */
        @JsonProperty
        @Min(1)
        public int threads = 1;
    }

    /** TLS listener (HEP over TLS): PEM certificate chain and PKCS#8 private key. */
    public static class Tls extends Socket {
        @JsonProperty
        public String certificate;
        @JsonProperty
        public String privateKey;

        public Tls() {
            enabled = false;
            port = 9061;
        }
    }

    @JsonProperty
    @Valid
    @NotNull
    public Socket udp = new Socket();

    @JsonProperty
    @Valid
    @NotNull
    public Socket tcp = new Socket();

    @JsonProperty
    @Valid
    @NotNull
    public Tls tls = new Tls();

    /** How claimed packet times are kept out of state (see {@link CaptureClock}). */
    @JsonProperty
    @Valid
    @NotNull
    public CaptureClock.Config clock = new CaptureClock.Config();

    /** When set, packets without this auth key (chunk 0x000e) are rejected and counted. */
    @JsonProperty
    public String authKey;

    /** Upper bound for a decompressed payload (chunk 0x0010). */
    @JsonProperty
    @Min(1024)
    public int maxDecompressedPayload = 1 << 20;

    /** Reject HEP packets without a payload (keep-alives are rejected as MISSING_PAYLOAD then). */
    @JsonProperty
    public boolean requirePayload = true;

    /** Use Linux epoll when available (falls back to NIO otherwise). */
    @JsonProperty
    public boolean nativeTransport = true;

    /** Close TCP connections idle for this many seconds (0 = never). */
    @JsonProperty
    @Min(0)
    public int tcpIdleTimeoutSeconds = 600;
}
