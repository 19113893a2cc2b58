package io.hepstack.collector.pcap;

/**
 * One transport-layer payload read from a capture file: where it went, when, and its bytes.
 *
 * @param frameNumber    1-based frame number in the file (as tshark counts)
 * @param timestampMicros capture time, microseconds since the epoch
 * @param srcIp          4 or 16 bytes (the innermost IP header when tunnelled)
 * @param ipProtocol     17 UDP, 6 TCP, 132 SCTP
 * @param tcpSeq         TCP sequence number, or -1
 * @param tcpFlags       TCP flags byte, or -1
 * @param fragment       true when the IP packet was a fragment (payload is partial or absent)
 */
public record PcapPacket(long frameNumber, long timestampMicros, byte[] srcIp, byte[] dstIp,
                         int srcPort, int dstPort, int ipProtocol, long tcpSeq, int tcpFlags,
                         boolean fragment, byte[] payload) {

    public boolean isUdp() {
        return ipProtocol == 17;
    }

    public boolean isTcp() {
        return ipProtocol == 6;
    }
}
