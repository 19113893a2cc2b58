package io.hepstack.tools.hepgen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@link HepTrafficModel} needs to make its traffic: how many calls and registrations
 * and how fast they start (in model time), who calls whom, how calls end and last, and the HEP
 * fields of the capture agent. Immutable; made with {@link #builder()}, whose setters reject a bad
 * value at once with the value in the message.
 *
 * <p>The defaults reproduce the cast of {@code testdata/hep/hepgen-20calls.pcap} so that the
 * enrichment has something to show: callers on the MaxMind test addresses (GeoIP), the callee
 * numbers that the sample rate tables price, the SBC 192.0.2.10:5060 ({@code sbc.example.net}).
 */
public final class TrafficConfig {

    /** The callers of hepgen-20calls (testdata/SOURCES.md): addresses in MaxMind's test databases. */
    public static final List<String> DEFAULT_CALLER_IPS = List.of(
            "81.2.69.142", "89.160.20.112", "216.160.83.56", "2.125.160.216", "175.16.199.10", "12.81.92.20");
    /** Their numbers, in the same order. */
    public static final List<String> DEFAULT_CALLER_NUMBERS = List.of(
            "+442071838750", "+46812345678", "+12065550147", "+441865270000", "+8643188881234", "+12125550199");
    /** The callees of hepgen-20calls: every one has a prefix in the sample rate tables. */
    public static final List<String> DEFAULT_DESTINATIONS = List.of(
            "+442079460123", "+4915123456789", "+33142685300", "+447700900123", "+88213000123",
            "+3727123456", "+861012345678", "+4930901820", "+5372345678");

    /** -1: no limit on the number of calls or registrations. */
    public static final long UNLIMITED = -1;
    /** Largest {@link Builder#users(int)}: 10,000 variants of each base number. */
    public static final int MAX_USERS = 60_000;
    public static final int MAX_DESTINATIONS = 90_000;

    private final long seed;
    private final long startMicros;
    private final long calls;
    private final long registrations;
    private final double callsPerSecond;
    private final double registrationsPerSecond;
    private final int users;
    private final int destinations;
    private final List<String> callerIps;
    private final List<String> callerNumbers;
    private final List<String> destinationNumbers;
    private final String sbcIp;
    private final String sbcIp6;
    private final int sbcPort;
    private final String domain;
    private final long captureId;
    private final String nodeName;
    private final String authKey;
    private final Map<CallOutcome, Integer> callMix;
    private final Map<RegistrationOutcome, Integer> registrationMix;
    private final DurationDistribution callDuration;
    private final int rtcpIntervalSeconds;
    private final boolean rtcp;
    private final boolean logs;

    private TrafficConfig(Builder b) {
        this.seed = b.seed;
        this.startMicros = b.startMicros;
        this.calls = b.calls;
        this.registrations = b.registrations;
        this.callsPerSecond = b.callsPerSecond;
        this.registrationsPerSecond = b.registrationsPerSecond;
        this.users = b.users;
        this.destinations = b.destinations;
        this.callerIps = List.copyOf(b.callerIps);
        this.callerNumbers = List.copyOf(b.callerNumbers);
        this.destinationNumbers = List.copyOf(b.destinationNumbers);
        this.sbcIp = b.sbcIp;
        this.sbcIp6 = b.sbcIp6;
        this.sbcPort = b.sbcPort;
        this.domain = b.domain;
        this.captureId = b.captureId;
        this.nodeName = b.nodeName;
        this.authKey = b.authKey;
        this.callMix = Collections.unmodifiableMap(new EnumMap<>(b.callMix));
        this.registrationMix = Collections.unmodifiableMap(new EnumMap<>(b.registrationMix));
        this.callDuration = b.callDuration;
        this.rtcpIntervalSeconds = b.rtcpIntervalSeconds;
        this.rtcp = b.rtcp;
        this.logs = b.logs;
    }

    public static Builder builder() {
        return new Builder();
    }

    public long seed() {
        return seed;
    }

    /** Model time of the first call and registration, microseconds since the epoch. */
    public long startMicros() {
        return startMicros;
    }

    /** Number of calls, or {@link #UNLIMITED}. */
    public long calls() {
        return calls;
    }

    /** Number of registrations, or {@link #UNLIMITED}. */
    public long registrations() {
        return registrations;
    }

    /** Mean call arrival rate in model time (Poisson arrivals). */
    public double callsPerSecond() {
        return callsPerSecond;
    }

    public double registrationsPerSecond() {
        return registrationsPerSecond;
    }

    public int users() {
        return users;
    }

    public int destinations() {
        return destinations;
    }

    public List<String> callerIps() {
        return callerIps;
    }

    public List<String> callerNumbers() {
        return callerNumbers;
    }

    public List<String> destinationNumbers() {
        return destinationNumbers;
    }

    public String sbcIp() {
        return sbcIp;
    }

    /** The SBC's IPv6 address, used with callers on IPv6. */
    public String sbcIp6() {
        return sbcIp6;
    }

    public int sbcPort() {
        return sbcPort;
    }

    public String domain() {
        return domain;
    }

    public long captureId() {
        return captureId;
    }

    /** HEP chunk 0x13, or null. */
    public String nodeName() {
        return nodeName;
    }

    /** HEP chunk 0x0e, or null. */
    public String authKey() {
        return authKey;
    }

    /** Relative weights of the call outcomes (every outcome present, 0 for none). */
    public Map<CallOutcome, Integer> callMix() {
        return callMix;
    }

    public Map<RegistrationOutcome, Integer> registrationMix() {
        return registrationMix;
    }

    public DurationDistribution callDuration() {
        return callDuration;
    }

    /** Seconds between the RTCP reports of each media end; 0: one report each, half-way through the call. */
    public int rtcpIntervalSeconds() {
        return rtcpIntervalSeconds;
    }

    public boolean rtcp() {
        return rtcp;
    }

    public boolean logs() {
        return logs;
    }

    /** The mean number of packets one call makes with this mix, durations and RTCP interval. */
    public double expectedPacketsPerCall() {
        double total = 0;
        long weights = 0;
        for (Map.Entry<CallOutcome, Integer> e : callMix.entrySet()) {
            total += e.getValue() * (double) packetsOf(e.getKey());
            weights += e.getValue();
        }
        return weights == 0 ? 0 : total / weights;
    }

    private double packetsOf(CallOutcome o) {
        double n = (logs ? 1 : 0) + switch (o) {
            case ANSWERED, CANCELLED -> 7;
            case DECLINED, NO_ANSWER -> 5;
            case BUSY, UNAVAILABLE, NOT_FOUND -> 4;
        };
        if (o == CallOutcome.ANSWERED && rtcp) {
            double mean = callDuration.approximateMeanSeconds();
            n += rtcpIntervalSeconds == 0 ? 2 : 2 * Math.max(0, Math.ceil(mean / rtcpIntervalSeconds) - 1);
        }
        return n;
    }

    /** The mean number of packets one registration makes with this mix. */
    public double expectedPacketsPerRegistration() {
        double total = 0;
        long weights = 0;
        for (Map.Entry<RegistrationOutcome, Integer> e : registrationMix.entrySet()) {
            total += e.getValue() * (double) ((logs ? 1 : 0) + (e.getKey().challenged() ? 4 : 2));
            weights += e.getValue();
        }
        return weights == 0 ? 0 : total / weights;
    }

    @Override
    public String toString() {
        return "TrafficConfig{seed=" + seed + ", calls=" + calls + ", registrations=" + registrations
                + ", cps=" + callsPerSecond + ", rps=" + registrationsPerSecond + ", users=" + users
                + ", destinations=" + destinations + ", mix=" + callMix + ", duration=" + callDuration + "}";
    }

    /** Validated builder; every setter checks its value. */
    public static final class Builder {
        private long seed = 1;
        private long startMicros = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z
        private long calls = 100;
        private long registrations = 20;
        private double callsPerSecond = 10;
        private double registrationsPerSecond = 2;
        private int users = 100;
        private int destinations = DEFAULT_DESTINATIONS.size();
        private List<String> callerIps = DEFAULT_CALLER_IPS;
        private List<String> callerNumbers = DEFAULT_CALLER_NUMBERS;
        private List<String> destinationNumbers = DEFAULT_DESTINATIONS;
        private String sbcIp = "192.0.2.10";
        private String sbcIp6 = "2001:db8::10";
        private int sbcPort = 5060;
        private String domain = "sbc.example.net";
        private long captureId = 2001;
        private String nodeName = "hepgen-01";
        private String authKey;
        private final Map<CallOutcome, Integer> callMix = defaultCallMix();
        private final Map<RegistrationOutcome, Integer> registrationMix = defaultRegistrationMix();
        private DurationDistribution callDuration = DurationDistribution.parse(DurationDistribution.DEFAULT_SPEC);
        private int rtcpIntervalSeconds;
        private boolean rtcp = true;
        private boolean logs = true;

        private Builder() {
        }

        static Map<CallOutcome, Integer> defaultCallMix() {
            Map<CallOutcome, Integer> m = new EnumMap<>(CallOutcome.class);
            m.put(CallOutcome.ANSWERED, 70);
            m.put(CallOutcome.BUSY, 8);
            m.put(CallOutcome.CANCELLED, 7);
            m.put(CallOutcome.DECLINED, 3);
            m.put(CallOutcome.UNAVAILABLE, 4);
            m.put(CallOutcome.NOT_FOUND, 3);
            m.put(CallOutcome.NO_ANSWER, 5);
            return m;
        }

        static Map<RegistrationOutcome, Integer> defaultRegistrationMix() {
            Map<RegistrationOutcome, Integer> m = new EnumMap<>(RegistrationOutcome.class);
            m.put(RegistrationOutcome.REGISTERED, 85);
            m.put(RegistrationOutcome.AUTH_FAILED, 10);
            m.put(RegistrationOutcome.UNKNOWN_USER, 5);
            return m;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder startMicros(long startMicros) {
            // HEP carries seconds as uint32
            if (startMicros < 0 || startMicros / 1_000_000L > 0xffff_ffffL - 400_000_000L) {
                throw new IllegalArgumentException("startMicros must be a time between 1970 and 2093: " + startMicros);
            }
            this.startMicros = startMicros;
            return this;
        }

        /** Number of calls, 0 for none, or {@link #UNLIMITED}. */
        public Builder calls(long calls) {
            if (calls < UNLIMITED) {
                throw new IllegalArgumentException("calls must be >= 0, or -1 for no limit: " + calls);
            }
            this.calls = calls;
            return this;
        }

        public Builder registrations(long registrations) {
            if (registrations < UNLIMITED) {
                throw new IllegalArgumentException("registrations must be >= 0, or -1 for no limit: " + registrations);
            }
            this.registrations = registrations;
            return this;
        }

        public Builder callsPerSecond(double cps) {
            if (!(cps > 0) || cps > 1_000_000) {
                throw new IllegalArgumentException("callsPerSecond must be in (0, 1000000]: " + cps);
            }
            this.callsPerSecond = cps;
            return this;
        }

        public Builder registrationsPerSecond(double rps) {
            if (!(rps > 0) || rps > 1_000_000) {
                throw new IllegalArgumentException("registrationsPerSecond must be in (0, 1000000]: " + rps);
            }
            this.registrationsPerSecond = rps;
            return this;
        }

        public Builder users(int users) {
            if (users < 1 || users > MAX_USERS) {
                throw new IllegalArgumentException("users must be 1.." + MAX_USERS + ": " + users);
            }
            this.users = users;
            return this;
        }

        public Builder destinations(int destinations) {
            if (destinations < 1 || destinations > MAX_DESTINATIONS) {
                throw new IllegalArgumentException("destinations must be 1.." + MAX_DESTINATIONS + ": " + destinations);
            }
            this.destinations = destinations;
            return this;
        }

        /**
         * IPv4 and IPv6 addresses the callers sit on (users are spread over them in turn); a caller
         * on IPv6 talks to the SBC's IPv6 address ({@link #sbcIp6}).
         */
        public Builder callerIps(List<String> ips) {
            if (ips == null || ips.isEmpty()) {
                throw new IllegalArgumentException("callerIps must name at least one address: " + ips);
            }
            for (String ip : ips) {
                TrafficDirectory.address(ip, "caller ip");
            }
            this.callerIps = new ArrayList<>(ips);
            return this;
        }

        /** E.164 numbers (+ and 7..15 digits) the users' numbers are derived from. */
        public Builder callerNumbers(List<String> numbers) {
            this.callerNumbers = numbers(numbers, "callerNumbers");
            return this;
        }

        /** E.164 numbers the destinations are derived from. */
        public Builder destinationNumbers(List<String> numbers) {
            this.destinationNumbers = numbers(numbers, "destinationNumbers");
            return this;
        }

        private static List<String> numbers(List<String> numbers, String what) {
            if (numbers == null || numbers.isEmpty()) {
                throw new IllegalArgumentException(what + " must name at least one number: " + numbers);
            }
            for (String n : numbers) {
                TrafficDirectory.e164(n);
            }
            return new ArrayList<>(numbers);
        }

        public Builder sbc(String ip, int port, String domain) {
            TrafficDirectory.ipv4(ip, "SBC ip");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("SBC port must be 1..65535: " + port);
            }
            if (domain == null || domain.isEmpty() || !TrafficDirectory.isToken(domain)) {
                throw new IllegalArgumentException("SBC domain must be a host name: '" + domain + "'");
            }
            this.sbcIp = ip;
            this.sbcPort = port;
            this.domain = domain;
            return this;
        }

        /** The SBC's IPv6 address (no brackets), for callers on IPv6. */
        public Builder sbcIp6(String ip) {
            if (TrafficDirectory.address(ip, "SBC IPv6 address").length != 16) {
                throw new IllegalArgumentException("SBC IPv6 address must be an IPv6 address: '" + ip + "'");
            }
            this.sbcIp6 = ip;
            return this;
        }

        public Builder captureId(long captureId) {
            if (captureId < 0 || captureId > 0xffff_ffffL) {
                throw new IllegalArgumentException("captureId must be a uint32: " + captureId);
            }
            this.captureId = captureId;
            return this;
        }

        /** Node name (HEP chunk 0x13), or null to send none. */
        public Builder nodeName(String nodeName) {
            this.nodeName = text(nodeName, "nodeName");
            return this;
        }

        /** Auth key (HEP chunk 0x0e), or null to send none. */
        public Builder authKey(String authKey) {
            this.authKey = text(authKey, "authKey");
            return this;
        }

        private static String text(String s, String what) {
            if (s != null && (s.isEmpty() || s.length() > 255)) {
                throw new IllegalArgumentException(what + " must be 1..255 characters, or null: '" + s + "'");
            }
            return s;
        }

        /** Weight of one call outcome (relative to the others; the defaults add up to 100). */
        public Builder callWeight(CallOutcome outcome, int weight) {
            if (weight < 0) {
                throw new IllegalArgumentException("weight of " + outcome.key() + " must be >= 0: " + weight);
            }
            callMix.put(outcome, weight);
            return this;
        }

        /** Replaces the whole call mix; outcomes not named get weight 0. */
        public Builder callMix(Map<CallOutcome, Integer> mix) {
            for (CallOutcome o : CallOutcome.values()) {
                callWeight(o, mix.getOrDefault(o, 0));
            }
            return this;
        }

        public Builder registrationWeight(RegistrationOutcome outcome, int weight) {
            if (weight < 0) {
                throw new IllegalArgumentException("weight of " + outcome.key() + " must be >= 0: " + weight);
            }
            registrationMix.put(outcome, weight);
            return this;
        }

        public Builder registrationMix(Map<RegistrationOutcome, Integer> mix) {
            for (RegistrationOutcome o : RegistrationOutcome.values()) {
                registrationWeight(o, mix.getOrDefault(o, 0));
            }
            return this;
        }

        public Builder callDuration(DurationDistribution d) {
            if (d == null) {
                throw new IllegalArgumentException("callDuration must not be null");
            }
            this.callDuration = d;
            return this;
        }

        public Builder rtcpIntervalSeconds(int seconds) {
            if (seconds < 0 || seconds > 3600) {
                throw new IllegalArgumentException("rtcpIntervalSeconds must be 0..3600: " + seconds);
            }
            this.rtcpIntervalSeconds = seconds;
            return this;
        }

        public Builder rtcp(boolean rtcp) {
            this.rtcp = rtcp;
            return this;
        }

        public Builder logs(boolean logs) {
            this.logs = logs;
            return this;
        }

        public TrafficConfig build() {
            if (calls != 0 && sum(callMix) == 0) {
                throw new IllegalArgumentException("the call mix has no outcome with a weight above 0: " + callMix);
            }
            if (registrations != 0 && sum(registrationMix) == 0) {
                throw new IllegalArgumentException("the registration mix has no outcome with a weight above 0: "
                        + registrationMix);
            }
            return new TrafficConfig(this);
        }

        private static long sum(Map<?, Integer> m) {
            long s = 0;
            for (int v : m.values()) {
                s += v;
            }
            return s;
        }
    }
}
