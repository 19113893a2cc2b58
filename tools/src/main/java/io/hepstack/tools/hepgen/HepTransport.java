package io.hepstack.tools.hepgen;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Where {@link HepSender} puts encoded packets: a UDP socket, TCP connections, or a pcap file. */
public interface HepTransport extends Closeable {

    /**
     * Sends one encoded HEP packet (the buffer's remaining bytes). A failure to send this packet
     * is an {@link IOException}; the transport stays usable for the next one.
     */
    void send(ByteBuffer packet, TrafficPacket what) throws IOException;

    /** Writes out anything buffered. */
    default void flush() throws IOException {
    }

    /** For the summary: "udp 127.0.0.1:9060", "tcp 127.0.0.1:9060 x4", "pcap FILE". */
    String describe();
}
