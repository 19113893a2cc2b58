package io.hepstack.tools.hepgen;

import io.hepstack.collector.pcap.PcapWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes each HEP packet as a UDP datagram 127.0.0.1:40000 → 127.0.0.1:9060 in a pcap file,
 * the frame time being the packet's HEP time, like {@code testdata/hep/hepgen-20calls.pcap}; the
 * file can then be replayed or checked with tshark and {@code hep3.lua}.
 */
public final class PcapTransport implements HepTransport {

    private static final byte[] LOOPBACK = {127, 0, 0, 1};
    public static final int SRC_PORT = 40000;
    public static final int DST_PORT = 9060;

    private final Path file;
    private final OutputStream out;
    private final PcapWriter writer;

    public PcapTransport(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        this.file = file;
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        try {
            this.writer = new PcapWriter(out);
        } catch (IOException e) {
            out.close();
            throw e;
        }
    }

    @Override
    public void send(ByteBuffer packet, TrafficPacket what) throws IOException {
        writer.writeUdp(what.hep().timestampMicros(), LOOPBACK, SRC_PORT, LOOPBACK, DST_PORT, packet);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public String describe() {
        return "pcap " + file;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
