package io.hepstack.collector.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    /** The UDP listener: a socket plus how many datagrams it reads and hands on at once. */
    public static class Udp extends Socket {
        /**
         * Datagrams read by one system call ({@code recvmmsg}, native epoll) and decoded on the
         * receiving thread into one batch that goes to the pipeline in one hand-off. Each read
         * reserves 64 KiB of pooled buffer per datagram (a HEP datagram is never truncated), so the
         * default 16 costs 1 MiB per socket (from a pool of 16 MiB chunks, one per receiving thread). 1: one datagram per read and per hand-off (the
         * collector's behaviour before batching, kept for comparison).
         */
        @JsonProperty
        @Min(1)
        @Max(MAX_RECEIVE_BATCH)
        public int receiveBatch = 16;

        /** Upper bound of {@link #receiveBatch}: 32 datagrams of 64 KiB are a 2 MiB read buffer. */
        public static final int MAX_RECEIVE_BATCH = 32;

        /**
         * After a read that found fewer than {@link #receiveBatch} datagrams, the receiving thread
         * sleeps this long before it looks again, so that the next read takes what came meanwhile:
         * at moderate rates one wake-up, one read and one write-ahead write serve several datagrams
         * instead of one each. Datagrams wait in the socket's kernel buffer meanwhile (a millisecond
         * at 15,000/s is 15 KB of it). 0: read each datagram as it comes.
         */
        @JsonProperty
        @NotNull
        @MaxDuration(value = 100, unit = TimeUnit.MILLISECONDS, message = "must be at most 100 ms")
        public Duration readPause = Duration.milliseconds(1);
    }

    /**
     * TLS listener (HEP over TLS): PEM certificate chain and PKCS#8 private key, reloaded when
     * either file (or the client CA file) changes; new connections get the new certificate.
     */
    public static class Tls extends Socket {
        @JsonProperty
        public String certificate;
        @JsonProperty
        public String privateKey;
        /** PEM CA certificates that sign the agents' client certificates; when set, mutual TLS: a client certificate is required. */
        @JsonProperty
        public String clientCaCertificate;
        /** Enabled protocol versions. */
        @JsonProperty
        @NotEmpty
        public List<String> protocols = List.of("TLSv1.3", "TLSv1.2");
        /** Enabled cipher suites (Java names); empty: the JDK's defaults. */
        @JsonProperty
        @NotNull
        public List<String> ciphers = List.of();
        /** A TLS handshake not done within this time is cut. */
        @JsonProperty
        @Min(1)
        public int handshakeTimeoutSeconds = 10;

        public Tls() {
            enabled = false;
            port = 9061;
        }
    }

    @JsonProperty
    @Valid
    @NotNull
    public Udp udp = new Udp();

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

    /** One agent's HEP auth key (chunk 0x000e). */
    public static class AuthKey {
        /** A name for logs and metrics. */
        @JsonProperty
        public String agent;
        @JsonProperty
        @NotEmpty
        public String key;
        /** When not empty, the key admits only packets with one of these capture ids. */
        @JsonProperty
        @NotNull
        public List<Long> captureIds = List.of();

        @Override
        public String toString() {
            return "AuthKey{agent=" + agent + ", key=****, captureIds=" + captureIds + "}";
        }
    }

    /**
     * When set, packets without this auth key (chunk 0x000e) are rejected and counted. With
     * {@link #authKeys} or {@link #authKeysFile}, one more accepted key.
     */
    @JsonProperty
    public String authKey;

    /** Keys per agent; a packet is accepted when its key is one of them (and its capture id allowed). */
    @JsonProperty
    @Valid
    @NotNull
    public List<AuthKey> authKeys = new ArrayList<>();

    /**
     * A file of keys per agent, one a line: {@code agent key [captureId ...]}; {@code #} starts a
     * comment. Reloaded when it changes (a broken file keeps the last good keys).
     */
    @JsonProperty
    public String authKeysFile;

    /** How often the auth keys file and the TLS files are checked for changes. */
    @JsonProperty
    @Min(1)
    public int reloadIntervalSeconds = 10;

    /** Upper bound for a decompressed payload (chunk 0x0010); see HepDecoder. */
    @JsonProperty
    @Min(1024)
    public int maxDecompressedPayload = 128 << 10;

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

    /**
     * Close a TCP/TLS connection that has held an unfinished frame for this many seconds (0 =
     * never): a client trickling one byte at a time is cut even though it is never idle.
     */
    @JsonProperty
    @Min(0)
    public int tcpFrameTimeoutSeconds = 30;

    /** Open TCP + TLS connections at most; more are closed at once and counted. */
    @JsonProperty
    @Min(1)
    public int maxConnections = 512;

    /** Open TCP + TLS connections from one source address at most. */
    @JsonProperty
    @Min(1)
    public int maxConnectionsPerAddress = 32;
}
