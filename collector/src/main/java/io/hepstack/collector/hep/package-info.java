/**
 * HEP (Homer Encapsulation Protocol) v1, v2 and v3: decoding, encoding and the Netty handlers.
 *
 * <h2>Classes</h2>
 * <ul>
 * <li>{@link io.hepstack.collector.hep.HepDecoder}: bytes to {@link io.hepstack.collector.hep.HepPacket},
 * stateless, rejects with {@link io.hepstack.collector.hep.HepDecodeException} (a
 * {@link io.hepstack.collector.hep.HepDecodeException.Reason} and an offset).</li>
 * <li>{@link io.hepstack.collector.hep.HepEncoder}: HepPacket to HEP3 (optionally compressed), or v1/v2.</li>
 * <li>{@link io.hepstack.collector.hep.HepFrameDecoder} (TCP, per connection) cuts a stream into
 * frames; {@link io.hepstack.collector.hep.HepPacketDecoder} (sharable) decodes frames and UDP
 * datagrams; both report drops to a {@link io.hepstack.collector.hep.HepRejectionListener}.</li>
 * </ul>
 *
 * <h2>HEP3 (HEP3 rev.12)</h2>
 * All numbers are big-endian (network order).
 * <pre>
 * offset 0        4          6
 *        +--------+----------+---------+---------+-----
 *        | "HEP3" | total    | chunk 1 | chunk 2 | ...
 *        +--------+----------+---------+---------+-----
 *          magic    uint16: the whole packet, these 6 header bytes included
 *
 * chunk  +-----------+---------+----------+-------------------+
 *        | vendor id | type id | length   | value             |
 *        +-----------+---------+----------+-------------------+
 *          uint16      uint16    uint16: the whole chunk, these 6 header bytes included
 * </pre>
 * Over UDP one datagram is one packet and the total length must equal its size. Over TCP
 * packets follow each other and are framed by the total length (at most 65535 bytes).
 * "EEP1" is accepted as a synonym of the magic, as Kamailio's sipcapture does; no agent was
 * found sending "EEP3".
 *
 * <p>Generic chunks (vendor 0x0000) and how they map to {@link io.hepstack.collector.hep.HepPacket}:
 * <pre>
 * type  value                       size   field
 * 0x01  IP family (2 v4, 10 v6)     1      ipFamily
 * 0x02  IP protocol (6, 17, 132)    1      ipProtocol
 * 0x03  IPv4 source                 4      srcIp
 * 0x04  IPv4 destination            4      dstIp
 * 0x05  IPv6 source                 16     srcIp
 * 0x06  IPv6 destination            16     dstIp
 * 0x07  source port                 2      srcPort
 * 0x08  destination port            2      dstPort
 * 0x09  timestamp, seconds          4      timeSeconds
 * 0x0a  timestamp, microseconds     4      timeMicros
 * 0x0b  protocol type (1 SIP ...)   1      protoType
 * 0x0c  capture agent id            4 (2)  captureId    (2 bytes from some old agents)
 * 0x0d  keep-alive timer, seconds   2      keepAliveTimer
 * 0x0e  auth key                    text   authKey
 * 0x0f  payload                     bytes  payload
 * 0x10  compressed payload          bytes  payload, payloadWasCompressed = true
 * 0x11  correlation id              text   correlationId
 * 0x12  VLAN id                     2      vlanId
 * 0x13  group id / node name        text   nodeName
 * 0x14  source MAC                  6 (8)  srcMac
 * 0x15  destination MAC             6 (8)  dstMac
 * 0x16  Ethernet type               2      ethernetType
 * 0x17  TCP flags                   1      tcpFlags
 * 0x18  IP TOS                      1      ipTos
 * 0x20  MOS x 100                   2      mos
 * 0x21  R-factor x 100              2      rFactor
 * 0x22  geo location                text   geoLocation
 * 0x23  jitter                      4      jitter
 * 0x24  transaction type            text   transactionType
 * 0x25  payload JSON keys           text   payloadJsonKeys
 * 0x26  tags values                 text   tagsValues
 * 0x27  tag type                    2      tagType
 * 0x28  event type                  2      eventType
 * 0x29  group id                    text   groupId
 * </pre>
 * Text is decoded as UTF-8. A numeric or address chunk of another size is rejected
 * ({@code BAD_CHUNK_VALUE}); a known type given twice, or both 0x0f and 0x10, is rejected
 * ({@code DUPLICATE_CHUNK}). Chunks of other vendors and unknown generic types are never an
 * error: they are kept in wire order in {@link io.hepstack.collector.hep.HepPacket#otherChunks()}.
 * A chunk length below 6 or past the end is {@code BAD_CHUNK_LENGTH}.
 *
 * <p>Chunk 0x10: the spec says "gzip/inflate"; the decoder detects gzip (1f 8b), zlib (a valid
 * RFC 1950 header) or otherwise raw deflate, verifies checksums, and stops inflating past
 * {@code maxDecompressedPayload} ({@code PAYLOAD_TOO_LARGE}). The auth key is checked first.
 *
 * <h2>HEPv1 and HEPv2 (Kamailio siptrace/sipcapture layout)</h2>
 * Only SIP was carried: the decoder sets {@code protoType} to 1. The payload is the rest of
 * the datagram.
 * <pre>
 * offset 0         1        2        3          4           6           8
 *        +---------+--------+--------+----------+-----------+-----------+
 *        | version | hdrlen | family | protocol | src port  | dst port  |   struct hep_hdr
 *        | 1 or 2  | uint8  | uint8  | uint8    | uint16 BE | uint16 BE |
 *        +---------+--------+--------+----------+-----------+-----------+
 *
 * family 2 (AF_INET):   src addr (4)  dst addr (4)     struct hep_iphdr, 8 bytes
 * family 10 (AF_INET6): src addr (16) dst addr (16)    struct hep_ip6hdr, 32 bytes
 *
 * version 2 only, struct hep_timehdr (not packed, so 12 bytes), in the sender's byte order,
 * which is little-endian for every known sender (Kamailio writes it with to_le()):
 *        +--------------+---------------+-----------------+---------+
 *        | tv_sec       | tv_usec       | capture id      | padding |
 *        | uint32 LE    | uint32 LE     | uint16 LE       | 2 bytes |
 *        +--------------+---------------+-----------------+---------+
 *
 * then the payload.   v1: 16 / 40 header bytes (IPv4 / IPv6)   v2: 28 / 52
 * </pre>
 * {@code hdrlen} is ignored (Kamailio's receiver ignores it too, and some senders fill it
 * wrongly). IPv6 families of other systems (24, 28, 30) are accepted and reported as 10.
 */
package io.hepstack.collector.hep;
