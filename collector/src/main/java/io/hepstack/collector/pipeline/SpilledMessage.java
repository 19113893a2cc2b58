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
    /**
     * The last sender decoded, with its address bytes: mostly the same few agents, so one address
     * object serves a run of their messages, and its bytes are compared and written without the copy
     * {@link InetAddress#getAddress()} makes each time. The bytes are never written to.
     */
    private static volatile Peer lastPeer;
    private static final byte[] NO_ADDRESS = new byte[0];

    private record Peer(InetSocketAddress address, byte[] bytes) {
    }

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
            return new Layout(encoder, hepLength, addressBytes(m.peer));
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
        return decode(b, null, off, len);
    }

    /**
     * The message of the record at {@code [off, off + len)} of {@code wrapped}, a buffer over a whole
     * array ({@code Unpooled.wrappedBuffer(array)}) that the caller keeps for many records: the HEP
     * packet is decoded from it without a wrapper object per record. As {@link #decode(byte[])}.
     */
    public static CapturedMessage decode(ByteBuf wrapped, int off, int len) {
        if (!wrapped.hasArray() || wrapped.arrayOffset() != 0) {
            throw new IllegalArgumentException("not a buffer over a whole array: " + wrapped);
        }
        return decode(wrapped.array(), wrapped, off, len);
    }

    private static CapturedMessage decode(byte[] b, ByteBuf wrapped, int off, int len) {
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
            HepPacket p = wrapped == null ? DECODER.decode(b, off + header, len - header)
                    : DECODER.decode(wrapped, off + header, len - header);
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

    /** The sender's address bytes (none when unknown); the last decoded sender's without a copy. */
    private static byte[] addressBytes(InetSocketAddress peer) {
        InetAddress address = peer == null ? null : peer.getAddress();
        if (address == null) {
            return NO_ADDRESS;
        }
        Peer last = lastPeer;
        return last != null && last.address() == peer ? last.bytes() : address.getAddress();
    }

    private static InetSocketAddress peer(byte[] b, int off, int n, int port) throws IOException {
        Peer last = lastPeer;
        if (last != null && last.address().getPort() == port && Arrays.equals(last.bytes(), 0, last.bytes().length, b, off, off + n)) {
            return last.address();
        }
        byte[] bytes = Arrays.copyOfRange(b, off, off + n);
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        lastPeer = new Peer(peer, bytes);
        return peer;
    }
}
