package io.hepstack.collector.pipeline;

import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A {@link CapturedMessage} as the listener handed it over, as bytes for the disk buffer: the HEP
 * packet re-encoded as HEP3 (gzip-compressed when its payload came compressed or would not fit
 * 64 KiB otherwise), plus the transport, the HEP sender and the original HEP version.
 *
 * <p>The auth key is not written: the listener has checked it, nothing after uses it, and a
 * secret does not belong on disk.
 *
 * <p>Layout: byte format (2), byte HEP version, byte transport ordinal, byte flags (bit 0: payload was
 * compressed), long the time the listener received it ({@link CapturedMessage#receivedMicros}), byte
 * peer address length (0, 4 or 16), the address, unsigned short peer port, HEP3 bytes. Format 1 (written
 * before the receive time was kept) has no receive time and still reads: the message counts as
 * received when it is read.
 *
 * <p>Also the reorder window's record of a message ({@code reorder/HeldMessages}), after its own prefix.
 */
public final class SpilledMessage {

    private static final int FORMAT = 2;
    private static final int FORMAT_WITHOUT_RECEIVED = 1;
    private static final HepEncoder PLAIN = new HepEncoder();
    private static final HepEncoder GZIP = new HepEncoder(HepEncoder.Compression.GZIP);
    /** Reads back what was accepted once: no auth key, payloads inflated as large as they were. */
    private static final HepDecoder DECODER = HepDecoder.builder().requirePayload(false).maxDecompressedPayload(64 << 20).build();
    private static final Transport[] TRANSPORTS = Transport.values();
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** The last sender decoded: mostly the same few agents, so one address object serves a run of their messages. */
    private static volatile InetSocketAddress lastPeer;

    private SpilledMessage() {
    }

    /**
     * The record of {@code m}, in one array of its exact size: the listener thread writes one per
     * accepted message (write-ahead), so no intermediate stream or packet copy.
     */
    static byte[] encode(CapturedMessage m) {
        Layout layout = Layout.of(m);
        byte[] record = new byte[layout.length()];
        write(m, layout, Unpooled.wrappedBuffer(record).writerIndex(0));
        return record;
    }

    /** Appends the record of {@code m} to {@code out}; returns its length. */
    public static int encode(CapturedMessage m, ByteBuf out) {
        Layout layout = Layout.of(m);
        out.ensureWritable(layout.length());
        write(m, layout, out);
        return layout.length();
    }

    /** How a message is written: the HEP3 encoder (gzip when the payload came compressed or is too large), its length, the sender's address. */
    private record Layout(HepEncoder encoder, int hepLength, byte[] address) {
        static Layout of(CapturedMessage m) {
            HepPacket p = m.hep;
            p.authKey = null;
            HepEncoder encoder = PLAIN;
            int hepLength = p.payloadWasCompressed ? -1 : PLAIN.encodedLength(p, HepEncoder.MAX_PACKET);
            if (hepLength < 0) {
                encoder = GZIP;
                hepLength = GZIP.encodedLength(p);
            }
            InetAddress peer = m.peer == null ? null : m.peer.getAddress();
            return new Layout(encoder, hepLength, peer == null ? new byte[0] : peer.getAddress());
        }

        int length() {
            return 4 + 8 + 1 + address.length + 2 + hepLength;
        }
    }

    private static void write(CapturedMessage m, Layout layout, ByteBuf out) {
        HepPacket p = m.hep;
        int start = out.writerIndex();
        out.writeByte(FORMAT);
        out.writeByte(p.version);
        out.writeByte(m.transport.ordinal());
        out.writeByte(p.payloadWasCompressed ? 1 : 0);
        out.writeLong(m.receivedMicros);
        out.writeByte(layout.address().length);
        out.writeBytes(layout.address());
        out.writeShort(m.peer == null ? 0 : m.peer.getPort());
        int written = layout.encoder().encode(p, out);
        if (written != layout.hepLength() || out.writerIndex() - start != layout.length()) {
            throw new IllegalStateException("a spilled record of " + layout.length() + " bytes came out as " + (out.writerIndex() - start));
        }
    }

    /** The message back; an {@link IllegalArgumentException} (or a HEP decode exception) when the record is not one. */
    static CapturedMessage decode(byte[] record) {
        return decode(record, 0, record.length);
    }

    /** The message of the record in {@code b[off, off + len)}; as {@link #decode(byte[])}. */
    public static CapturedMessage decode(byte[] b, int off, int len) {
        try {
            int format = b[off] & 0xff;
            if (format != FORMAT && format != FORMAT_WITHOUT_RECEIVED) {
                throw new IllegalArgumentException("unknown spilled message format " + format);
            }
            int version = b[off + 1] & 0xff;
            int transport = b[off + 2] & 0xff;
            int flags = b[off + 3] & 0xff;
            int at = off + 4;
            long received = -1;
            if (format == FORMAT) { // a record too short for it fails the length check below
                received = (long) LONG.get(b, at);
                at += 8;
            }
            int addressLength = b[at] & 0xff;
            int header = at - off + 1 + addressLength + 2;
            if (len < header) {
                throw new IllegalArgumentException("not a spilled message: " + len + " bytes");
            }
            int port = ((b[at + 1 + addressLength] & 0xff) << 8) | (b[at + 2 + addressLength] & 0xff);
            HepPacket p = DECODER.decode(b, off + header, len - header);
            p.version = version;
            p.payloadWasCompressed = (flags & 1) != 0;
            InetSocketAddress peer = addressLength == 0 ? null : peer(b, at + 1, addressLength, port);
            CapturedMessage m = new CapturedMessage(p, TRANSPORTS[transport], peer);
            m.receivedMicros = received;
            return m;
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a spilled message: " + e, e);
        }
    }

    private static InetSocketAddress peer(byte[] b, int off, int n, int port) throws IOException {
        InetSocketAddress last = lastPeer;
        if (last != null && last.getPort() == port) {
            byte[] a = last.getAddress().getAddress();
            if (Arrays.equals(a, 0, a.length, b, off, off + n)) {
                return last;
            }
        }
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(b, off, off + n)), port);
        lastPeer = peer;
        return peer;
    }
}
