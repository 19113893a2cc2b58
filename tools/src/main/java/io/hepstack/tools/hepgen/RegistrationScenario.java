package io.hepstack.tools.hepgen;

import io.hepstack.collector.hep.HepPacket;
import java.util.SplittableRandom;

/**
 * One registration of a user with the SBC (the registrar): REGISTER, 401 with a digest
 * challenge, REGISTER with credentials, then 200 OK or 403; or REGISTER answered 404 for an
 * unknown user. A LOG line closes it.
 */
final class RegistrationScenario extends Scenario {

    private static final int REGISTER = 0, CHALLENGE = 1, REGISTER_AUTH = 2, FINAL = 3, LOG = 4;
    private static final int EXPIRES = 3600;

    final RegistrationOutcome outcome;
    private final TrafficDirectory.User user;
    private final String callId;
    private final String fromTag;
    private final String toTag;
    private final String branch1;
    private final String branch2;
    private final String nonce;
    private final String cnonce;
    private final String response;
    private final long cseq;

    RegistrationScenario(long seq, Context ctx, SplittableRandom rng, long startMicros, RegistrationOutcome outcome) {
        super(seq, ctx, rng);
        this.outcome = outcome;
        TrafficDirectory dir = ctx.directory;
        this.user = dir.user(rng.nextInt(dir.userCount()));
        this.callId = hex(24) + "@" + user.ipText();
        this.fromTag = hex(10);
        this.toTag = hex(10);
        this.branch1 = branch();
        this.branch2 = branch();
        this.nonce = hex(32);
        this.cnonce = hex(16);
        this.response = hex(32);
        this.cseq = rng.nextInt(1, 1000);

        long t = startMicros;
        step(t, REGISTER);
        long end;
        if (outcome.challenged()) {
            long challenge = t + ms(5, 30);
            step(challenge, CHALLENGE);
            long again = challenge + ms(20, 80);
            step(again, REGISTER_AUTH);
            end = again + ms(5, 40);
        } else {
            end = t + ms(5, 30);
        }
        step(end, FINAL);
        if (ctx.config.logs()) {
            step(end + 1_000, LOG);
        }
        seal();
    }

    String callId() {
        return callId;
    }

    @Override
    TrafficPacket render(int kind, long t, boolean first) {
        int sbcPort = ctx.config.sbcPort();
        String label;
        String sip;
        boolean toSbc;
        switch (kind) {
            case REGISTER -> { label = "REGISTER"; sip = register(false); toSbc = true; }
            case REGISTER_AUTH -> { label = "REGISTER"; sip = register(true); toSbc = true; }
            case CHALLENGE -> { label = "401"; sip = response(401, "Unauthorized", cseq, branch1); toSbc = false; }
            case FINAL -> {
                label = Integer.toString(outcome.finalCode());
                sip = response(outcome.finalCode(), outcome.reasonPhrase(), outcome.challenged() ? cseq + 1 : cseq,
                        outcome.challenged() ? branch2 : branch1);
                toSbc = false;
            }
            case LOG -> {
                return log(t, callId, "register " + callId + " from " + user.number() + " (" + user.ipText() + "): "
                        + outcome.logText());
            }
            default -> throw new IllegalStateException("unknown step " + kind);
        }
        HepPacket p = toSbc
                ? hep(user.ip(), user.port(), ctx.sbcIp(user), sbcPort, t, HepPacket.PROTO_SIP, sip, null)
                : hep(ctx.sbcIp(user), sbcPort, user.ip(), user.port(), t, HepPacket.PROTO_SIP, sip, null);
        return new TrafficPacket(p, label, seq, null, first ? outcome : null);
    }

    private String aor() {
        return "sip:" + user.number() + "@" + ctx.config.domain();
    }

    private StringBuilder dialog(StringBuilder sb, String branch, boolean response, boolean tag, long n) {
        sb.append("Via: SIP/2.0/UDP ").append(user.host()).append(':').append(user.port()).append(";branch=")
                .append(branch).append(";rport");
        if (response) {
            sb.append('=').append(user.port());
        }
        sb.append("\r\n");
        if (!response) {
            sb.append("Max-Forwards: 70\r\n");
        }
        sb.append("From: <").append(aor()).append(">;tag=").append(fromTag).append("\r\n");
        sb.append("To: <").append(aor()).append('>');
        if (tag) {
            sb.append(";tag=").append(toTag);
        }
        return sb.append("\r\nCall-ID: ").append(callId).append("\r\nCSeq: ").append(n).append(" REGISTER\r\n");
    }

    private StringBuilder contact(StringBuilder sb) {
        return sb.append("Contact: <sip:").append(user.number()).append('@').append(user.host()).append(':')
                .append(user.port()).append(";transport=udp>;expires=").append(EXPIRES).append("\r\n");
    }

    private String register(boolean auth) {
        StringBuilder sb = new StringBuilder(700);
        sb.append("REGISTER sip:").append(ctx.config.domain()).append(" SIP/2.0\r\n");
        dialog(sb, auth ? branch2 : branch1, false, false, auth ? cseq + 1 : cseq);
        contact(sb);
        if (auth) {
            sb.append("Authorization: Digest username=\"").append(user.number()).append("\", realm=\"")
                    .append(ctx.config.domain()).append("\", nonce=\"").append(nonce).append("\", uri=\"sip:")
                    .append(ctx.config.domain()).append("\", response=\"").append(response)
                    .append("\", algorithm=MD5, cnonce=\"").append(cnonce).append("\", qop=auth, nc=00000001\r\n");
        }
        sb.append("Expires: ").append(EXPIRES).append("\r\n");
        sb.append("User-Agent: ").append(user.userAgent()).append("\r\n");
        sb.append("Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, REFER, NOTIFY\r\n");
        return sb.append("Content-Length: 0\r\n\r\n").toString();
    }

    private String response(int code, String phrase, long n, String branch) {
        StringBuilder sb = new StringBuilder(600);
        sb.append("SIP/2.0 ").append(code).append(' ').append(phrase).append("\r\n");
        dialog(sb, branch, true, true, n);
        if (code == 401) {
            sb.append("WWW-Authenticate: Digest realm=\"").append(ctx.config.domain()).append("\", nonce=\"")
                    .append(nonce).append("\", qop=\"auth\", algorithm=MD5\r\n");
        } else if (code == 200) {
            contact(sb);
        }
        sb.append("Server: hepgen-sbc/1.0\r\n");
        return sb.append("Content-Length: 0\r\n\r\n").toString();
    }
}
