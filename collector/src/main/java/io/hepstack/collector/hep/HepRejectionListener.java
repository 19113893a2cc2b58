package io.hepstack.collector.hep;

import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Told about every packet (or run of stream bytes) the HEP handlers dropped. Called on the
 * channel's event loop: implementations must be quick and thread-safe (a counter per reason and
 * peer, a rate-limited log line), and should not throw; the handlers catch and log it if they do.
 */
@FunctionalInterface
public interface HepRejectionListener {

    /** Ignores every rejection. */
    HepRejectionListener NOOP = (reason, peer, detail) -> {
    };

    /**
     * @param reason why the bytes were dropped
     * @param peer   the UDP sender or the TCP remote address; may be {@code null} if unknown
     * @param detail a human-readable explanation with the offset, for logs
     */
    void rejected(HepDecodeException.Reason reason, SocketAddress peer, String detail);

    /** Wraps {@code listener} so that an exception it throws is logged instead of propagated. */
    static HepRejectionListener failsafe(HepRejectionListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        Logger log = LoggerFactory.getLogger(HepRejectionListener.class);
        return (reason, peer, detail) -> {
            try {
                listener.rejected(reason, peer, detail);
            } catch (RuntimeException e) {
                log.warn("HEP rejection listener failed on {} from {}", reason, peer, e);
            }
        };
    }
}
