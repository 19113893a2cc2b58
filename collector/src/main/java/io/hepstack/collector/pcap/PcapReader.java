package io.hepstack.collector.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads UDP, TCP and SCTP payloads out of classic pcap and pcapng files.
 *
 * <p>Link types: Ethernet (with 802.1Q tags), Linux cooked (SLL, SLL2), BSD loopback, raw IP.
 * Tunnels: IP-in-IP, IPv6-in-IP and GRE (plain and transparent Ethernet bridging). IP
 * fragments are not reassembled: the first fragment is returned with {@code fragment=true} and
 * what it holds of the transport payload, later fragments are skipped. Each frame yields at
 * most one packet (SCTP: the user data of all DATA chunks, concatenated).
 */
public final class PcapReader {

    private static final int LINK_NULL = 0;
    private static final int LINK_ETHERNET = 1;
    private static final int LINK_RAW = 101;
    private static final int LINK_RAW_12 = 12;
    private static final int LINK_LOOP = 108;
    private static final int LINK_SLL = 113;
    private static final int LINK_IPV4 = 228;
    private static final int LINK_IPV6 = 229;
    private static final int LINK_SLL2 = 276;

    private PcapReader() {
    }

    public static List<PcapPacket> read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    public static List<PcapPacket> read(byte[] file) {
        ByteBuffer buf = ByteBuffer.wrap(file);
        if (file.length < 24) {
            throw new IllegalArgumentException("not a capture file: " + file.length + " bytes");
        }
        int magic = buf.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magic == 0x0A0D0D0A) {
            return readPcapng(buf);
        }
        return readClassic(buf);
    }

    private static List<PcapPacket> readClassic(ByteBuffer buf) {
        int magic = buf.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        boolean nanos;
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            buf.order(ByteOrder.LITTLE_ENDIAN);
            nanos = magic == 0xa1b23c4d;
        } else {
            buf.order(ByteOrder.BIG_ENDIAN);
            int be = buf.getInt(0);
            if (be != 0xa1b2c3d4 && be != 0xa1b23c4d) {
                throw new IllegalArgumentException(String.format("unknown capture file magic 0x%08x", be));
            }
            nanos = be == 0xa1b23c4d;
        }
        int linkType = buf.getInt(20) & 0x0fffffff;
        List<PcapPacket> out = new ArrayList<>();
        int off = 24;
        long frame = 0;
        while (off + 16 <= buf.limit()) {
            long sec = buf.getInt(off) & 0xffffffffL;
            long frac = buf.getInt(off + 4) & 0xffffffffL;
            int capLen = buf.getInt(off + 8);
            off += 16;
            if (capLen < 0 || off + capLen > buf.limit()) {
                break; // truncated file: keep what was read
            }
            frame++;
            long micros = sec * 1_000_000L + (nanos ? frac / 1000 : frac);
            PcapPacket p = decodeLink(frame, micros, linkType, buf, off, capLen);
            if (p != null) {
                out.add(p);
            }
            off += capLen;
        }
        return out;
    }

    private static List<PcapPacket> readPcapng(ByteBuffer buf) {
        List<PcapPacket> out = new ArrayList<>();
        List<int[]> interfaces = new ArrayList<>(); // {linkType, tsResolutionExponent}
        Map<Integer, Long> divisors = new HashMap<>();
        int off = 0;
        long frame = 0;
        ByteOrder order = ByteOrder.BIG_ENDIAN;
        while (off + 12 <= buf.limit()) {
            int type = buf.order(ByteOrder.BIG_ENDIAN).getInt(off);
            if (type == 0x0A0D0D0A) { // section header: its byte-order magic sets the order of the section
                int bom = buf.getInt(off + 8);
                order = bom == 0x1A2B3C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                buf.order(order);
                interfaces.clear();
            } else {
                type = buf.order(order).getInt(off);
            }
            int len = buf.getInt(off + 4);
            if (len < 12 || off + len > buf.limit()) {
                break;
            }
            if (type == 1) { // interface description block
                int linkType = buf.getShort(off + 8) & 0xffff;
                long divisor = 1_000_000L;
                int opt = off + 16;
                while (opt + 4 <= off + len - 4) {
                    int code = buf.getShort(opt) & 0xffff;
                    int olen = buf.getShort(opt + 2) & 0xffff;
                    if (code == 0) {
                        break;
                    }
                    if (code == 9 && olen == 1) { // if_tsresol
                        int v = buf.get(opt + 4) & 0xff;
                        divisor = (v & 0x80) != 0 ? 1L << (v & 0x7f) : (long) Math.pow(10, v);
                    }
                    opt += 4 + ((olen + 3) & ~3);
                }
                divisors.put(interfaces.size(), divisor);
                interfaces.add(new int[]{linkType});
            } else if (type == 6) { // enhanced packet block
                int ifId = buf.getInt(off + 8);
                long ts = ((buf.getInt(off + 12) & 0xffffffffL) << 32) | (buf.getInt(off + 16) & 0xffffffffL);
                int capLen = buf.getInt(off + 20);
                frame++;
                if (ifId < interfaces.size() && capLen >= 0 && off + 28 + capLen <= off + len) {
                    long divisor = divisors.get(ifId);
                    long micros = divisor == 1_000_000L ? ts : ts / divisor * 1_000_000L + (ts % divisor) * 1_000_000L / divisor;
                    PcapPacket p = decodeLink(frame, micros, interfaces.get(ifId)[0], buf, off + 28, capLen);
                    if (p != null) {
                        out.add(p);
                    }
                }
            } else if (type == 3) { // simple packet block
                frame++;
                if (!interfaces.isEmpty()) {
                    int capLen = Math.min(buf.getInt(off + 8), len - 16);
                    PcapPacket p = decodeLink(frame, 0, interfaces.get(0)[0], buf, off + 12, capLen);
                    if (p != null) {
                        out.add(p);
                    }
                }
            }
            off += len;
        }
        return out;
    }

    private static PcapPacket decodeLink(long frame, long micros, int linkType, ByteBuffer file, int off, int len) {
        // work on a big-endian view: all network headers are big-endian
        ByteBuffer b = file.duplicate().order(ByteOrder.BIG_ENDIAN);
        int end = off + len;
        switch (linkType) {
            case LINK_ETHERNET:
                return decodeEthernet(frame, micros, b, off, end);
            case LINK_SLL: {
                if (len < 16) {
                    return null;
                }
                return decodeEtherType(frame, micros, b, b.getShort(off + 14) & 0xffff, off + 16, end);
            }
            case LINK_SLL2: {
                if (len < 20) {
                    return null;
                }
                return decodeEtherType(frame, micros, b, b.getShort(off) & 0xffff, off + 20, end);
            }
            case LINK_NULL:
            case LINK_LOOP:
                return len < 4 ? null : decodeIp(frame, micros, b, off + 4, end);
            case LINK_RAW:
            case LINK_RAW_12:
            case LINK_IPV4:
            case LINK_IPV6:
                return decodeIp(frame, micros, b, off, end);
            default:
                return null;
        }
    }

    private static PcapPacket decodeEthernet(long frame, long micros, ByteBuffer b, int off, int end) {
        if (end - off < 14) {
            return null;
        }
        return decodeEtherType(frame, micros, b, b.getShort(off + 12) & 0xffff, off + 14, end);
    }

    private static PcapPacket decodeEtherType(long frame, long micros, ByteBuffer b, int etherType, int off, int end) {
        while (etherType == 0x8100 || etherType == 0x88a8) { // VLAN tags
            if (end - off < 4) {
                return null;
            }
            etherType = b.getShort(off + 2) & 0xffff;
            off += 4;
        }
        if (etherType != 0x0800 && etherType != 0x86dd) {
            return null;
        }
        return decodeIp(frame, micros, b, off, end);
    }

    private static PcapPacket decodeIp(long frame, long micros, ByteBuffer b, int off, int end) {
        if (end - off < 1) {
            return null;
        }
        int version = (b.get(off) & 0xf0) >> 4;
        byte[] src;
        byte[] dst;
        int proto;
        int payloadOff;
        int payloadEnd;
        boolean fragment = false;
        if (version == 4) {
            if (end - off < 20) {
                return null;
            }
            int ihl = (b.get(off) & 0x0f) * 4;
            int totalLen = b.getShort(off + 2) & 0xffff;
            int flagsFrag = b.getShort(off + 6) & 0xffff;
            int fragOffset = flagsFrag & 0x1fff;
            boolean moreFragments = (flagsFrag & 0x2000) != 0;
            if (fragOffset != 0) {
                return null; // a later fragment: nothing to read on its own
            }
            fragment = moreFragments;
            proto = b.get(off + 9) & 0xff;
            src = bytes(b, off + 12, 4);
            dst = bytes(b, off + 16, 4);
            payloadOff = off + ihl;
            payloadEnd = totalLen > 0 ? Math.min(end, off + totalLen) : end;
        } else if (version == 6) {
            if (end - off < 40) {
                return null;
            }
            int plen = b.getShort(off + 4) & 0xffff;
            proto = b.get(off + 6) & 0xff;
            src = bytes(b, off + 8, 16);
            dst = bytes(b, off + 24, 16);
            payloadOff = off + 40;
            payloadEnd = plen > 0 ? Math.min(end, payloadOff + plen) : end;
            // skip extension headers (hop-by-hop, routing, destination options, fragment)
            while (proto == 0 || proto == 43 || proto == 60 || proto == 44) {
                if (payloadEnd - payloadOff < 8) {
                    return null;
                }
                int next = b.get(payloadOff) & 0xff;
                if (proto == 44) {
                    int fo = (b.getShort(payloadOff + 2) & 0xfff8) >> 3;
                    if (fo != 0) {
                        return null;
                    }
                    fragment = (b.getShort(payloadOff + 2) & 1) != 0;
                    payloadOff += 8;
                } else {
                    payloadOff += 8 + (b.get(payloadOff + 1) & 0xff) * 8;
                }
                proto = next;
            }
        } else {
            return null;
        }
        if (payloadOff > payloadEnd) {
            return null;
        }
        switch (proto) {
            case 4:   // IP in IP
            case 41:  // IPv6 in IP
                return decodeIp(frame, micros, b, payloadOff, payloadEnd);
            case 47:
                return decodeGre(frame, micros, b, payloadOff, payloadEnd);
            case 17: {
                if (payloadEnd - payloadOff < 8) {
                    return null;
                }
                int sport = b.getShort(payloadOff) & 0xffff;
                int dport = b.getShort(payloadOff + 2) & 0xffff;
                return new PcapPacket(frame, micros, src, dst, sport, dport, 17, -1, -1, fragment,
                        bytes(b, payloadOff + 8, payloadEnd - payloadOff - 8));
            }
            case 6: {
                if (payloadEnd - payloadOff < 20) {
                    return null;
                }
                int sport = b.getShort(payloadOff) & 0xffff;
                int dport = b.getShort(payloadOff + 2) & 0xffff;
                long seq = b.getInt(payloadOff + 4) & 0xffffffffL;
                int dataOff = ((b.get(payloadOff + 12) & 0xf0) >> 4) * 4;
                int flags = b.get(payloadOff + 13) & 0xff;
                int start = Math.min(payloadEnd, payloadOff + dataOff);
                return new PcapPacket(frame, micros, src, dst, sport, dport, 6, seq, flags, fragment,
                        bytes(b, start, payloadEnd - start));
            }
            case 132: {
                if (payloadEnd - payloadOff < 12) {
                    return null;
                }
                int sport = b.getShort(payloadOff) & 0xffff;
                int dport = b.getShort(payloadOff + 2) & 0xffff;
                java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
                int c = payloadOff + 12;
                while (c + 4 <= payloadEnd) {
                    int ctype = b.get(c) & 0xff;
                    int clen = b.getShort(c + 2) & 0xffff;
                    if (clen < 4 || c + clen > payloadEnd) {
                        break;
                    }
                    if (ctype == 0 && clen > 16) { // DATA chunk: 16-byte header, then user data
                        data.write(bytes(b, c + 16, clen - 16), 0, clen - 16);
                    }
                    c += (clen + 3) & ~3;
                }
                return new PcapPacket(frame, micros, src, dst, sport, dport, 132, -1, -1, fragment, data.toByteArray());
            }
            default:
                return null;
        }
    }

    private static PcapPacket decodeGre(long frame, long micros, ByteBuffer b, int off, int end) {
        if (end - off < 4) {
            return null;
        }
        int flags = b.getShort(off) & 0xffff;
        int protocol = b.getShort(off + 2) & 0xffff;
        int hdr = 4;
        if ((flags & 0x8000) != 0) {
            hdr += 4; // checksum + reserved
        }
        if ((flags & 0x2000) != 0) {
            hdr += 4; // key
        }
        if ((flags & 0x1000) != 0) {
            hdr += 4; // sequence
        }
        if (protocol == 0x88be) {
            hdr += 8; // ERSPAN type II header
            return decodeEthernet(frame, micros, b, off + hdr, end);
        }
        if (protocol == 0x6558) {
            return decodeEthernet(frame, micros, b, off + hdr, end);
        }
        return decodeEtherType(frame, micros, b, protocol, off + hdr, end);
    }

    private static byte[] bytes(ByteBuffer b, int off, int len) {
        byte[] out = new byte[Math.max(0, len)];
        b.get(off, out, 0, out.length);
        return out;
    }
}
