package io.hepstack.collector.pipeline;

import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A {@link CapturedMessage} as the listener handed it over, as bytes for the disk buffer: the HEP
 * packet re-encoded as HEP3 (gzip-compressed when its payload came compressed or would not fit
 * 64 KiB otherwise), plus the transport, the HEP sender and the original HEP version.
 *
 * <p>The auth key is not written: the listener has checked it, nothing after uses it, and a
 * secret does not belong on disk.
 *
 * <p>Layout: byte format (1), byte HEP version, byte transport ordinal, byte flags (bit 0: payload was
 * compressed), byte peer address length (0, 4 or 16), the address, unsigned short peer port, HEP3 bytes.
 */
final class SpilledMessage {

    private static final int FORMAT = 1;
    private static final HepEncoder PLAIN = new HepEncoder();
    private static final HepEncoder GZIP = new HepEncoder(HepEncoder.Compression.GZIP);
    /** Reads back what was accepted once: no auth key, payloads inflated as large as they were. */
    private static final HepDecoder DECODER = HepDecoder.builder().requirePayload(false).maxDecompressedPayload(64 << 20).build();
    private static final Transport[] TRANSPORTS = Transport.values();

    private SpilledMessage() {
    }

    /**
     * The record of {@code m}, in one array of its exact size: the listener thread writes one per
     * accepted message (write-ahead), so no intermediate stream or packet copy.
     */
    static byte[] encode(CapturedMessage m) {
        HepPacket p = m.hep;
        p.authKey = null;
        HepEncoder encoder = PLAIN;
        int hepLength = p.payloadWasCompressed ? -1 : PLAIN.encodedLength(p, HepEncoder.MAX_PACKET);
        if (hepLength < 0) {
            encoder = GZIP;
            hepLength = GZIP.encodedLength(p);
        }
        InetAddress peer = m.peer == null ? null : m.peer.getAddress();
        byte[] address = peer == null ? null : peer.getAddress();
        int addressLength = address == null ? 0 : address.length;
        byte[] record = new byte[5 + addressLength + 2 + hepLength];
        ByteBuf out = Unpooled.wrappedBuffer(record).writerIndex(0);
        out.writeByte(FORMAT);
        out.writeByte(p.version);
        out.writeByte(m.transport.ordinal());
        out.writeByte(p.payloadWasCompressed ? 1 : 0);
        out.writeByte(addressLength);
        if (address != null) {
            out.writeBytes(address);
        }
        out.writeShort(m.peer == null ? 0 : m.peer.getPort());
        int written = encoder.encode(p, out);
        if (written != hepLength || out.writerIndex() != record.length) {
            throw new IllegalStateException("a spilled record of " + record.length + " bytes came out as " + out.writerIndex());
        }
        return record;
    }

    /** The message back; an {@link IllegalArgumentException} (or a HEP decode exception) when the record is not one. */
    static CapturedMessage decode(byte[] record) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(record));
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown spilled message format " + format);
            }
            int version = in.readUnsignedByte();
            int transport = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            byte[] address = new byte[in.readUnsignedByte()];
            in.readFully(address);
            int port = in.readUnsignedShort();
            int header = 5 + address.length + 2;
            HepPacket p = DECODER.decode(record, header, record.length - header);
            p.version = version;
            p.payloadWasCompressed = (flags & 1) != 0;
            InetSocketAddress peer = address.length == 0 ? null : new InetSocketAddress(InetAddress.getByAddress(address), port);
            return new CapturedMessage(p, TRANSPORTS[transport], peer);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a spilled message: " + e, e);
        }
    }
}
