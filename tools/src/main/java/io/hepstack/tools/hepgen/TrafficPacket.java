package io.hepstack.tools.hepgen;

import io.hepstack.collector.hep.HepPacket;

/**
 * One packet of the generated traffic with what it is, so a sender can count what it sent
 * without parsing.
 *
 * @param hep          the packet to encode (HEP3)
 * @param label        the SIP method of a request ("INVITE"), the status code of a response
 *                     ("180"), or "RTCP" / "LOG"
 * @param scenario     sequence number of the call or registration it belongs to (0-based, in
 *                     start order, shared by calls and registrations); a TCP sender keeps one
 *                     scenario on one connection
 * @param callStart    the call's outcome on the first packet of a call, else null
 * @param registrationStart the registration's outcome on its first packet, else null
 */
public record TrafficPacket(HepPacket hep, String label, long scenario, CallOutcome callStart,
                            RegistrationOutcome registrationStart) {
}
