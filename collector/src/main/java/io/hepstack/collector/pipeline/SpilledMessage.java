package io.hepstack.collector.pipeline;

import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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

    static byte[] encode(CapturedMessage m) {
        HepPacket p = m.hep;
        p.authKey = null;
        byte[] hep = p.payloadWasCompressed || PLAIN.encodedLength(p) > HepEncoder.MAX_PACKET ? GZIP.encode(p) : PLAIN.encode(p);
        ByteArrayOutputStream buf = new ByteArrayOutputStream(hep.length + 32);
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.writeByte(FORMAT);
            out.writeByte(p.version);
            out.writeByte(m.transport.ordinal());
            out.writeByte(p.payloadWasCompressed ? 1 : 0);
            InetAddress peer = m.peer == null ? null : m.peer.getAddress();
            byte[] address = peer == null ? new byte[0] : peer.getAddress();
            out.writeByte(address.length);
            out.write(address);
            out.writeShort(m.peer == null ? 0 : m.peer.getPort());
            out.write(hep);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return buf.toByteArray();
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
