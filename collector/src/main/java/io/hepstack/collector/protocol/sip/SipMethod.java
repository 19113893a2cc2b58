package io.hepstack.collector.protocol.sip;

import java.nio.charset.StandardCharsets;

/**
 * The common SIP methods as shared String constants. {@link SipMessage#method()} and
 * {@link SipMessage#cseqMethod()} return these very instances for the methods below (so no
 * String is made for them); extension methods come back as new Strings, case kept
 * (methods are case-sensitive, RFC 3261 §7.1).
 */
public final class SipMethod {

    public static final String INVITE = "INVITE";
    public static final String ACK = "ACK";
    public static final String BYE = "BYE";
    public static final String CANCEL = "CANCEL";
    public static final String REGISTER = "REGISTER";
    public static final String OPTIONS = "OPTIONS";
    public static final String PRACK = "PRACK";
    public static final String SUBSCRIBE = "SUBSCRIBE";
    public static final String NOTIFY = "NOTIFY";
    public static final String PUBLISH = "PUBLISH";
    public static final String INFO = "INFO";
    public static final String REFER = "REFER";
    public static final String MESSAGE = "MESSAGE";
    public static final String UPDATE = "UPDATE";

    private static final String[] ALL = {
        INVITE, ACK, BYE, CANCEL, REGISTER, OPTIONS, PRACK, SUBSCRIBE, NOTIFY, PUBLISH, INFO, REFER, MESSAGE, UPDATE,
    };

    private SipMethod() {
    }

    /** The shared constant for {@code buf[s, e)}, or a new String for an extension method. */
    static String of(byte[] buf, int s, int e) {
        int len = e - s;
        for (String m : ALL) {
            if (m.length() == len && m.charAt(0) == buf[s] && sameBytes(m, buf, s)) {
                return m;
            }
        }
        return new String(buf, s, len, StandardCharsets.UTF_8);
    }

    private static boolean sameBytes(String m, byte[] buf, int s) {
        for (int i = 1; i < m.length(); i++) {
            if (buf[s + i] != m.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
