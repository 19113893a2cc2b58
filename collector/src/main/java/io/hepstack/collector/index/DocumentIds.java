package io.hepstack.collector.index;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import io.hepstack.collector.hep.HepPacket;

import java.util.Base64;

/**
 * Deterministic document ids: the same HEP packet always gets the same id, so a replay (spool,
 * agent resend, collector restart) overwrites nothing and duplicates nothing; the same SIP message
 * captured by two agents (different capture ids) or retransmitted (different time) is two documents.
 *
 * <p>Id = base64url(MurmurHash3-128(capture id, time, proto type, addresses, ports, payload)), 22
 * characters: fast, and 2^-64 collision odds per pair are negligible for message volumes.
 */
public final class DocumentIds {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private DocumentIds() {
    }

    public static String of(HepPacket p) {
        Hasher h = Hashing.murmur3_128().newHasher()
                .putLong(p.captureId)
                .putLong(p.timeSeconds)
                .putLong(p.timeMicros)
                .putInt(p.protoType)
                .putInt(p.srcPort)
                .putInt(p.dstPort);
        if (p.srcIp != null) {
            h.putBytes(p.srcIp);
        }
        h.putByte((byte) '>');
        if (p.dstIp != null) {
            h.putBytes(p.dstIp);
        }
        if (p.correlationId != null) {
            h.putUnencodedChars(p.correlationId);
        }
        if (p.payload != null) {
            h.putBytes(p.payload);
        }
        return B64.encodeToString(h.hash().asBytes());
    }

    /** Id of a record keyed by text (TDR per Call-ID and leg, alert per rule/subject/window). */
    public static String ofKey(String key) {
        return B64.encodeToString(Hashing.murmur3_128().hashUnencodedChars(key).asBytes());
    }
}
