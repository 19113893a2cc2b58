#!/usr/bin/env python3
"""Writes the generated referee scenarios of testdata/scenarios/: SIP call flows the shared captures
lack, as a phone and a proxy would exchange them (Ethernet/IPv4/UDP, one SIP message a frame, and
one flow over WebSocket/TCP, RFC 7118), with microsecond capture times. Deterministic: run it again
and the files are byte-identical. Then scripts/make-call-reference.sh makes the tshark references.

    scripts/make-scenarios.py            (from anywhere; writes into the repository)

  scenario-fork            INVITE forked by the proxy: two 180s with different To tags, the first branch answers
  scenario-reinvite        answered call, re-INVITE with a new SDP (hold) and its 200, BYE
  scenario-cancel-race     CANCEL crosses the 200 OK: 200 to the INVITE, 200 to the CANCEL, ACK, BYE
  scenario-redirect        302 Moved Temporarily, ACK, the INVITE to the new Contact (CSeq 2) answered
  scenario-prack-update    100rel early media: 183 with SDP (RSeq), PRACK, UPDATE with a new SDP, 200, BYE
  scenario-websocket       a WebRTC call over SIP/WebSocket (masked client frames), answered and hung up
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "testdata", "scenarios")

PHONE = ("192.0.2.10", 5060)
PROXY = ("198.51.100.20", 5060)
T0 = 1772359200_000000  # 2026-03-01T10:00:00Z


def ip(a):
    return bytes(int(x) for x in a.split("."))


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, proto, payload, ident):
    head = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xffff, 0x4000, 64, proto, 0, ip(src), ip(dst))
    head = head[:10] + struct.pack("!H", checksum(head)) + head[12:]
    return head + payload


def ether(packet):
    return b"\x00\x16\x3e\x00\x00\x02" + b"\x00\x16\x3e\x00\x00\x01" + b"\x08\x00" + packet


def udp(src, dst, payload, ident):
    seg = struct.pack("!HHHH", src[1], dst[1], 8 + len(payload), 0) + payload
    pseudo = ip(src[0]) + ip(dst[0]) + struct.pack("!BBH", 0, 17, len(seg))
    seg = seg[:6] + struct.pack("!H", checksum(pseudo + seg) or 0xffff) + seg[8:]
    return ether(ipv4(src[0], dst[0], 17, seg, ident))


def tcp(src, dst, seq, ack, flags, payload, ident):
    seg = struct.pack("!HHIIBBHHH", src[1], dst[1], seq & 0xffffffff, ack & 0xffffffff, 5 << 4, flags, 65535, 0, 0) + payload
    pseudo = ip(src[0]) + ip(dst[0]) + struct.pack("!BBH", 0, 6, len(seg))
    seg = seg[:16] + struct.pack("!H", checksum(pseudo + seg)) + seg[18:]
    return ether(ipv4(src[0], dst[0], 6, seg, ident))


def write_pcap(name, frames):
    path = os.path.join(OUT, name + ".pcap")
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for t, data in frames:
            f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(data), len(data)))
            f.write(data)
    print("%s: %d frames" % (path, len(frames)))


def sdp(addr, port, version, direction="sendrecv"):
    body = ("v=0\r\no=- 4242 %d IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=%s\r\n") % (version, addr, addr, port, direction)
    return body


class Dialog:
    """Builds the SIP messages of one call between the phone (caller) and the proxy."""

    def __init__(self, call_id, caller="+4930901820", callee="+442071838750", transport="UDP",
                 contact_host=None, via_host=None):
        self.call_id = call_id
        self.caller = caller
        self.callee = callee
        self.transport = transport
        self.via_host = via_host or "%s:%d" % PHONE
        self.contact_host = contact_host or "%s:%d" % PHONE
        self.from_tag = "a" + call_id[:6]
        self.to_tag = None
        self.ruri = "sip:%s@example.net" % callee

    def request(self, method, cseq, branch, to_tag=None, body="", extra=(), ruri=None, cseq_method=None):
        lines = ["%s %s SIP/2.0" % (method, ruri or self.ruri),
                 "Via: SIP/2.0/%s %s;branch=z9hG4bK%s;rport" % (self.transport, self.via_host, branch),
                 "Max-Forwards: 70",
                 "From: <sip:%s@example.com>;tag=%s" % (self.caller, self.from_tag),
                 "To: <sip:%s@example.net>%s" % (self.callee, ";tag=" + to_tag if to_tag else ""),
                 "Call-ID: %s" % self.call_id,
                 "CSeq: %d %s" % (cseq, cseq_method or method),
                 "Contact: <sip:%s@%s;transport=%s>" % (self.caller, self.contact_host, self.transport.lower()),
                 "User-Agent: scenario-phone/1.0"]
        lines += list(extra)
        return self._finish(lines, body)

    def response(self, code, reason, method, cseq, branch, to_tag=None, body="", extra=()):
        lines = ["SIP/2.0 %d %s" % (code, reason),
                 "Via: SIP/2.0/%s %s;branch=z9hG4bK%s;rport=%d;received=%s" % (self.transport, self.via_host, branch,
                                                                             PHONE[1], PHONE[0]),
                 "From: <sip:%s@example.com>;tag=%s" % (self.caller, self.from_tag),
                 "To: <sip:%s@example.net>%s" % (self.callee, ";tag=" + to_tag if to_tag else ""),
                 "Call-ID: %s" % self.call_id,
                 "CSeq: %d %s" % (cseq, method)]
        if code != 100:
            lines.append("Contact: <sip:%s@%s:%d>" % (self.callee, PROXY[0], PROXY[1]))
            lines.append("Server: scenario-proxy/1.0")
        lines += list(extra)
        return self._finish(lines, body)

    @staticmethod
    def _finish(lines, body):
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append("Content-Length: %d" % len(body.encode()))
        return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def udp_frames(steps):
    """steps: (ms offset with µs fraction, direction 'up' phone->proxy or 'down', message bytes)."""
    frames = []
    for i, (ms, direction, msg) in enumerate(steps):
        src, dst = (PHONE, PROXY) if direction == "up" else (PROXY, PHONE)
        frames.append((T0 + int(round(ms * 1000)), udp(src, dst, msg, 0x1000 + i)))
    return frames


def fork():
    d = Dialog("fork-7f3a91@192.0.2.10")
    b1, b2 = "1xa91b", "2xa91b"
    offer = sdp(PHONE[0], 40000, 1)
    return udp_frames([
        (0.000, "up", d.request("INVITE", 1, "f1", body=offer)),
        (14.207, "down", d.response(100, "Trying", "INVITE", 1, "f1")),
        (312.481, "down", d.response(180, "Ringing", "INVITE", 1, "f1", to_tag=b1)),
        (498.032, "down", d.response(180, "Ringing", "INVITE", 1, "f1", to_tag=b2)),
        (4211.375, "down", d.response(200, "OK", "INVITE", 1, "f1", to_tag=b1, body=sdp(PROXY[0], 50000, 1))),
        (4228.904, "up", d.request("ACK", 1, "f2", to_tag=b1)),
        (65230.118, "up", d.request("BYE", 2, "f3", to_tag=b1)),
        (65262.455, "down", d.response(200, "OK", "BYE", 2, "f3", to_tag=b1)),
    ])


def reinvite():
    d = Dialog("reinv-51c0de@192.0.2.10")
    tag = "r51c0"
    return udp_frames([
        (0.000, "up", d.request("INVITE", 10, "r1", body=sdp(PHONE[0], 40010, 1))),
        (9.731, "down", d.response(100, "Trying", "INVITE", 10, "r1")),
        (801.226, "down", d.response(180, "Ringing", "INVITE", 10, "r1", to_tag=tag)),
        (2650.019, "down", d.response(200, "OK", "INVITE", 10, "r1", to_tag=tag, body=sdp(PROXY[0], 50010, 1))),
        (2671.880, "up", d.request("ACK", 10, "r2", to_tag=tag)),
        (30002.517, "up", d.request("INVITE", 11, "r3", to_tag=tag, body=sdp(PHONE[0], 40012, 2, "sendonly"))),
        (30040.063, "down", d.response(200, "OK", "INVITE", 11, "r3", to_tag=tag, body=sdp(PROXY[0], 50010, 2, "recvonly"))),
        (30058.772, "up", d.request("ACK", 11, "r4", to_tag=tag)),
        (47115.604, "down", d.response(200, "OK", "BYE", 12, "r5", to_tag=tag)),
        (47080.331, "up", d.request("BYE", 12, "r5", to_tag=tag)),
    ])


def cancel_race():
    d = Dialog("race-c4nce1@192.0.2.10")
    tag = "c4n"
    return udp_frames([
        (0.000, "up", d.request("INVITE", 1, "c1", body=sdp(PHONE[0], 40020, 1))),
        (11.002, "down", d.response(100, "Trying", "INVITE", 1, "c1")),
        (503.117, "down", d.response(180, "Ringing", "INVITE", 1, "c1", to_tag=tag)),
        (7000.456, "up", d.request("CANCEL", 1, "c1", cseq_method="CANCEL")),
        (7001.203, "down", d.response(200, "OK", "INVITE", 1, "c1", to_tag=tag, body=sdp(PROXY[0], 50020, 1))),
        (7012.788, "down", d.response(200, "OK", "CANCEL", 1, "c1", to_tag=tag)),
        (7020.349, "up", d.request("ACK", 1, "c2", to_tag=tag)),
        (7102.911, "up", d.request("BYE", 2, "c3", to_tag=tag)),
        (7131.640, "down", d.response(200, "OK", "BYE", 2, "c3", to_tag=tag)),
    ])


def redirect():
    d = Dialog("redir-3xx0ab@192.0.2.10")
    moved = "m3xx"
    tag = "r3xx"
    target = "sip:+442071838751@203.0.113.7"
    return udp_frames([
        (0.000, "up", d.request("INVITE", 1, "x1", body=sdp(PHONE[0], 40030, 1))),
        (18.310, "down", d.response(302, "Moved Temporarily", "INVITE", 1, "x1", to_tag=moved,
                                    extra=["Contact: <%s>" % target])),
        (20.994, "up", d.request("ACK", 1, "x1", to_tag=moved)),
        (35.502, "up", d.request("INVITE", 2, "x2", body=sdp(PHONE[0], 40030, 1), ruri=target)),
        (52.170, "down", d.response(100, "Trying", "INVITE", 2, "x2")),
        (1403.448, "down", d.response(180, "Ringing", "INVITE", 2, "x2", to_tag=tag)),
        (5877.021, "down", d.response(200, "OK", "INVITE", 2, "x2", to_tag=tag, body=sdp(PROXY[0], 50030, 1))),
        (5890.336, "up", d.request("ACK", 2, "x3", to_tag=tag, ruri=target)),
        (20444.812, "down", d.response(200, "OK", "BYE", 3, "x4", to_tag=tag)),
        (20421.119, "up", d.request("BYE", 3, "x4", to_tag=tag, ruri=target)),
    ])


def prack_update():
    d = Dialog("prack-1e0a7d@192.0.2.10")
    tag = "p1e0"
    return udp_frames([
        (0.000, "up", d.request("INVITE", 1, "p1", body=sdp(PHONE[0], 40040, 1), extra=["Supported: 100rel, timer"])),
        (8.442, "down", d.response(100, "Trying", "INVITE", 1, "p1")),
        (655.093, "down", d.response(183, "Session Progress", "INVITE", 1, "p1", to_tag=tag, body=sdp(PROXY[0], 50040, 1),
                                     extra=["Require: 100rel", "RSeq: 1"])),
        (671.550, "up", d.request("PRACK", 2, "p2", to_tag=tag, extra=["RAck: 1 1 INVITE"])),
        (690.207, "down", d.response(200, "OK", "PRACK", 2, "p2", to_tag=tag)),
        (2107.664, "up", d.request("UPDATE", 3, "p3", to_tag=tag, body=sdp(PHONE[0], 40042, 2))),
        (2131.985, "down", d.response(200, "OK", "UPDATE", 3, "p3", to_tag=tag, body=sdp(PROXY[0], 50040, 2))),
        (6208.731, "down", d.response(200, "OK", "INVITE", 1, "p1", to_tag=tag)),
        (6222.046, "up", d.request("ACK", 1, "p4", to_tag=tag)),
        (38890.503, "up", d.request("BYE", 4, "p5", to_tag=tag)),
        (38918.274, "down", d.response(200, "OK", "BYE", 4, "p5", to_tag=tag)),
    ])


def websocket():
    """A WebRTC phone (browser) on 192.0.2.30:51234 talking SIP over WebSocket to the proxy's :8080."""
    client = ("192.0.2.30", 51234)
    server = ("198.51.100.20", 8080)
    d = Dialog("ws-9e8d7c6b@df7jal23ls0d.invalid", caller="alice", callee="bob", transport="WS",
               contact_host="df7jal23ls0d.invalid", via_host="df7jal23ls0d.invalid")
    d.ruri = "sip:bob@example.net"
    tag = "w9e8"
    frames = []
    seq = {client: 1000, server: 5000}
    ident = [0x2000]

    def send(ms, src, payload, flags=0x18):
        dst = server if src == client else client
        frames.append((T0 + int(round(ms * 1000)),
                       tcp(src, dst, seq[src], seq[dst], flags, payload, ident[0])))
        ident[0] += 1
        seq[src] += len(payload) + (1 if flags & 0x02 else 0)

    def ws(ms, src, message, chunks=1):
        masked = src == client
        key = bytes([0x37, 0xfa, 0x21, 0x3d])
        n = len(message)
        head = bytes([0x81])
        if n < 126:
            head += bytes([(0x80 if masked else 0) | n])
        else:
            head += bytes([(0x80 if masked else 0) | 126]) + struct.pack("!H", n)
        body = bytes(b ^ key[i % 4] for i, b in enumerate(message)) if masked else message
        frame = head + (key if masked else b"") + body
        step = (len(frame) + chunks - 1) // chunks
        for i in range(chunks):  # a frame may span TCP segments
            send(ms + i * 0.05, src, frame[i * step:(i + 1) * step])

    send(0.0, client, b"", 0x02)
    send(0.4, server, b"", 0x12)
    send(0.6, client, b"", 0x10)
    send(1.0, client, ("GET / HTTP/1.1\r\nHost: proxy.example.net:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                       "Sec-WebSocket-Protocol: sip\r\nOrigin: https://phone.example.net\r\n\r\n").encode())
    send(3.0, server, ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: sip\r\n\r\n").encode())
    ws(20.0, client, d.request("INVITE", 1, "w1", body=sdp("192.0.2.30", 40050, 1)), chunks=2)
    ws(31.512, server, d.response(100, "Trying", "INVITE", 1, "w1"))
    ws(902.347, server, d.response(180, "Ringing", "INVITE", 1, "w1", to_tag=tag))
    ws(3520.118, server, d.response(200, "OK", "INVITE", 1, "w1", to_tag=tag, body=sdp(PROXY[0], 50050, 1)))
    ws(3541.702, client, d.request("ACK", 1, "w2", to_tag=tag))
    ws(24100.455, client, d.request("BYE", 2, "w3", to_tag=tag))
    ws(24133.081, server, d.response(200, "OK", "BYE", 2, "w3", to_tag=tag))
    return frames


def main():
    os.makedirs(OUT, exist_ok=True)
    write_pcap("scenario-fork", fork())
    write_pcap("scenario-reinvite", reinvite())
    write_pcap("scenario-cancel-race", cancel_race())
    write_pcap("scenario-redirect", redirect())
    write_pcap("scenario-prack-update", prack_update())
    write_pcap("scenario-websocket", websocket())


if __name__ == "__main__":
    main()
