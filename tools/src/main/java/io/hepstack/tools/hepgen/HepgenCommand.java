package io.hepstack.tools.hepgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.hepstack.collector.hep.HepEncoder;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.sourceforge.argparse4j.ArgumentParsers;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.ArgumentParser;
import net.sourceforge.argparse4j.inf.ArgumentParserException;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code hepgen}: sends synthetic HEP3 traffic (calls, RTCP, LOG lines, registrations; see
 * {@link HepTrafficModel}) to a collector over UDP or TCP at a target rate, or writes it to a
 * pcap file, and prints what it sent. See {@code docs/hepgen.md}.
 *
 * <p>How much traffic: {@code --calls}/{@code --registrations} fix the number of scenarios (the
 * run ends when they are all sent); {@code --count} and {@code --duration} cap the run. With
 * neither counts nor caps: 100 calls and 20 registrations. With a cap and no counts the traffic
 * is unlimited and the cap ends it.
 *
 * <p>Model time and send rate: unless {@code --cps} is given, the call arrival rate is derived
 * from {@code --rate} so that the model makes as many packets per model second as are sent per
 * wall second; HEP times then advance like the wall clock. {@code --live} goes further: it starts
 * the model now and sends each packet when the wall clock reaches its HEP time.
 */
public final class HepgenCommand extends Command {

    private final PrintStream out;

    public HepgenCommand() {
        this(System.out);
    }

    /** @param out where the summary goes (tests pass their own stream) */
    public HepgenCommand(PrintStream out) {
        super("hepgen", "Send synthetic HEP3 traffic (SIP calls, RTCP, logs, REGISTERs) to a collector, or write a pcap");
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        this.out = out;
    }

    @Override
    public void configure(Subparser p) {
        p.addArgument("--host").setDefault("127.0.0.1").help("collector address (default 127.0.0.1)");
        p.addArgument("--port").type(Integer.class).setDefault(9060).help("collector HEP port (default 9060)");
        p.addArgument("--transport").choices("udp", "tcp").setDefault("udp").help("udp (one datagram per packet) or tcp");
        p.addArgument("--connections").type(Integer.class).setDefault(1)
                .help("TCP connections; a call stays on one (default 1)");
        p.addArgument("--rate").type(Double.class).setDefault(1000.0)
                .help("packets per second, exact on average; 0 = as fast as possible (default 1000)");
        p.addArgument("--count").type(Long.class).help("stop after this many packets");
        p.addArgument("--duration").type(Double.class).help("stop after this many seconds (HEP time with --pcap)");
        p.addArgument("--calls").type(Long.class).help("number of calls (default 100, unlimited with --count/--duration)");
        p.addArgument("--registrations").type(Long.class)
                .help("number of registrations (default a fifth of the calls)");
        p.addArgument("--cps").type(Double.class).help("calls per second of model time (default: derived from --rate)");
        p.addArgument("--rps").type(Double.class)
                .help("registrations per second of model time (default: keeps the calls/registrations ratio)");
        p.addArgument("--users").type(Integer.class).setDefault(100).help("distinct callers (default 100)");
        p.addArgument("--destinations").type(Integer.class).setDefault(TrafficConfig.DEFAULT_DESTINATIONS.size())
                .help("distinct callee numbers, variants of --destination-numbers (default 9)");
        p.addArgument("--destination-numbers").help("comma-separated E.164 callees (default: those of hepgen-20calls)");
        p.addArgument("--caller-ips").help("comma-separated IPv4 and IPv6 caller addresses (default: MaxMind test addresses)");
        p.addArgument("--sbc-ip6").setDefault("2001:db8::10").help("the SBC's IPv6 address, for callers on IPv6 (default 2001:db8::10)");
        p.addArgument("--caller-numbers").help("comma-separated E.164 caller numbers the users derive from");
        p.addArgument("--sbc").setDefault("192.0.2.10:5060").help("the SBC's ip:port in the traffic (default 192.0.2.10:5060)");
        p.addArgument("--domain").setDefault("sbc.example.net").help("SIP domain (default sbc.example.net)");
        p.addArgument("--seed").type(Long.class).setDefault(1L).help("random seed: same seed, same traffic (default 1)");
        p.addArgument("--capture-id").type(Long.class).setDefault(2001L).help("HEP capture id (default 2001)");
        p.addArgument("--node").setDefault("hepgen-01").help("HEP node name, chunk 0x13; '' for none (default hepgen-01)");
        p.addArgument("--auth-key").help("HEP auth key, chunk 0x0e (default none)");
        p.addArgument("--start").setDefault("now").help("model start time: ISO-8601 instant or 'now' (default now)");
        p.addArgument("--live").action(Arguments.storeTrue())
                .help("start now and send each packet when the wall clock reaches its HEP time");
        p.addArgument("--mix").help("call outcome weights, e.g. answered=70,busy=8,cancelled=7,declined=3,"
                + "unavailable=4,notfound=3,noanswer=5 (unnamed outcomes get 0)");
        p.addArgument("--registration-mix").help("registration outcome weights, e.g. registered=85,authfailed=10,unknownuser=5");
        p.addArgument("--call-duration").setDefault(DurationDistribution.DEFAULT_SPEC)
                .help("answered call duration: fixed:S, uniform:A-B or exp:MEAN[:A-B] (default " + DurationDistribution.DEFAULT_SPEC + ")");
        p.addArgument("--rtcp-interval").type(Integer.class).setDefault(0)
                .help("seconds between RTCP reports of each media end; 0 = one each, half-way (default 0)");
        p.addArgument("--no-rtcp").action(Arguments.storeTrue()).help("no RTCP reports");
        p.addArgument("--no-log").action(Arguments.storeTrue()).help("no LOG lines");
        p.addArgument("--pcap").help("write the packets to this pcap file (UDP 127.0.0.1:40000 -> :9060) instead of sending");
        p.addArgument("--json").action(Arguments.storeTrue()).help("print the summary as JSON");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
        execute(ns);
    }

    /** Runs hepgen with parsed arguments, prints the summary and returns it. */
    public SendReport execute(Namespace ns) throws Exception {
        boolean pcap = ns.getString("pcap") != null;
        boolean live = Boolean.TRUE.equals(ns.getBoolean("live")) && !pcap;
        double rate = pcap ? 0 : ns.getDouble("rate");
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must be >= 0: " + rate);
        }
        Long count = ns.getLong("count");
        Double duration = ns.getDouble("duration");
        if (count != null && count < 1) {
            throw new IllegalArgumentException("--count must be >= 1: " + count);
        }
        if (duration != null && !(duration > 0)) {
            throw new IllegalArgumentException("--duration must be > 0 seconds: " + duration);
        }
        TrafficConfig config = trafficConfig(ns, rate, live, count != null || duration != null,
                System.currentTimeMillis() * 1000);

        Iterator<TrafficPacket> traffic = new HepTrafficModel(config);
        long maxNanos = 0;
        if (duration != null) {
            if (pcap) {
                traffic = until(traffic, config.startMicros() + Math.round(duration * 1e6));
            } else {
                maxNanos = Math.round(duration * 1e9);
            }
        }
        HepSender.Limits limits = new HepSender.Limits(count == null ? 0 : count, maxNanos);

        try (HepTransport transport = transport(ns, pcap)) {
            HepSender sender = new HepSender(transport, new HepEncoder(), new Pacer(rate, Pacer.Clock.SYSTEM), live);
            boolean json = Boolean.TRUE.equals(ns.getBoolean("json"));
            if (!json) {
                out.printf("hepgen: %s, seed %d, %s calls at %.2f/s, %s registrations at %.2f/s, %s%n",
                        transport.describe(), config.seed(), limit(config.calls()), config.callsPerSecond(),
                        limit(config.registrations()), config.registrationsPerSecond(),
                        live ? "live" : rate > 0 ? rate + " packets/s" : "unpaced");
            }
            SendReport report = sendStoppable(sender, traffic, limits, rate);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", modelSummary(config, live));
                m.putAll(report.toMap());
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            } else {
                out.print(report.toText());
            }
            out.flush();
            return report;
        }
    }

    /** Sends; Ctrl-C stops the run cleanly so the summary of what was sent is still printed. */
    private static SendReport sendStoppable(HepSender sender, Iterator<TrafficPacket> traffic, HepSender.Limits limits,
                                            double rate) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            sender.stop();
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hepgen-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return sender.send(traffic, limits, rate);
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the latch released above
            }
        }
    }

    private static String limit(long n) {
        return n < 0 ? "unlimited" : Long.toString(n);
    }

    private HepTransport transport(Namespace ns, boolean pcap) throws java.io.IOException {
        if (pcap) {
            return new PcapTransport(Path.of(ns.getString("pcap")));
        }
        int port = ns.getInt("port");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be 1..65535: " + port);
        }
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(ns.getString("host")), port);
        if ("tcp".equals(ns.getString("transport"))) {
            return new TcpTransport(target, ns.getInt("connections"));
        }
        return new UdpTransport(target);
    }

    /**
     * The model's configuration from the arguments; {@code nowMicros} is the time "now" means.
     * Package-private for tests.
     */
    static TrafficConfig trafficConfig(Namespace ns, double rate, boolean live, boolean capped, long nowMicros) {
        TrafficConfig.Builder b = TrafficConfig.builder()
                .seed(ns.getLong("seed"))
                .users(ns.getInt("users"))
                .destinations(ns.getInt("destinations"))
                .captureId(ns.getLong("capture_id"))
                .callDuration(DurationDistribution.parse(ns.getString("call_duration")))
                .rtcpIntervalSeconds(ns.getInt("rtcp_interval"))
                .rtcp(!Boolean.TRUE.equals(ns.getBoolean("no_rtcp")))
                .logs(!Boolean.TRUE.equals(ns.getBoolean("no_log")));
        String node = ns.getString("node");
        b.nodeName(node == null || node.isEmpty() ? null : node);
        b.authKey(ns.getString("auth_key"));
        String start = ns.getString("start");
        b.startMicros(live || start == null || "now".equals(start) ? nowMicros : parseInstant(start));
        b.sbcIp6(ns.getString("sbc_ip6"));
        if (ns.getString("caller_ips") != null) {
            b.callerIps(list(ns.getString("caller_ips")));
        }
        if (ns.getString("caller_numbers") != null) {
            b.callerNumbers(list(ns.getString("caller_numbers")));
        }
        if (ns.getString("destination_numbers") != null) {
            b.destinationNumbers(list(ns.getString("destination_numbers")));
        }
        String sbc = ns.getString("sbc");
        int colon = sbc.lastIndexOf(':');
        b.sbc(colon < 0 ? sbc : sbc.substring(0, colon), colon < 0 ? 5060 : parsePort(sbc.substring(colon + 1)),
                ns.getString("domain"));
        if (ns.getString("mix") != null) {
            b.callMix(weights(ns.getString("mix"), CallOutcome.class, CallOutcome::ofKey));
        }
        if (ns.getString("registration_mix") != null) {
            b.registrationMix(weights(ns.getString("registration_mix"), RegistrationOutcome.class,
                    RegistrationOutcome::ofKey));
        }

        Long calls = ns.getLong("calls");
        Long regs = ns.getLong("registrations");
        long c = calls != null ? calls : capped ? TrafficConfig.UNLIMITED : 100;
        long r = regs != null ? regs : c < 0 ? TrafficConfig.UNLIMITED : c / 5;
        if (c < TrafficConfig.UNLIMITED || r < TrafficConfig.UNLIMITED) {
            throw new IllegalArgumentException("--calls and --registrations must be >= 0: " + c + ", " + r);
        }
        if (c == 0 && r == 0) {
            throw new IllegalArgumentException("nothing to send: --calls 0 and --registrations 0");
        }
        b.calls(c).registrations(r);

        // registrations per call, so that both kinds span the same model time
        double ratio = c > 0 && r >= 0 ? (double) r / c : 0.2;
        TrafficConfig probe = b.build();
        Double cps = ns.getDouble("cps");
        Double rps = ns.getDouble("rps");
        double packetsPerSecond = rate > 0 ? rate : 1000;
        if (c != 0) {
            double perCall = probe.expectedPacketsPerCall() + (r != 0 ? ratio * probe.expectedPacketsPerRegistration() : 0);
            double callRate = cps != null ? cps : packetsPerSecond / perCall;
            b.callsPerSecond(callRate);
            b.registrationsPerSecond(rps != null ? rps : Math.max(1e-6, callRate * ratio));
        } else {
            b.registrationsPerSecond(rps != null ? rps : packetsPerSecond / probe.expectedPacketsPerRegistration());
        }
        return b.build();
    }

    private static long parseInstant(String s) {
        try {
            Instant t = Instant.parse(s);
            return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--start must be 'now' or an ISO-8601 instant like 2026-01-01T00:00:00Z: '"
                    + s + "'");
        }
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--sbc must be ip:port: port '" + s + "'");
        }
    }

    private static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** "answered=70,busy=8" into weights; outcomes not named get 0. */
    static <E extends Enum<E>> Map<E, Integer> weights(String spec, Class<E> type, java.util.function.Function<String, E> byKey) {
        Map<E, Integer> m = new EnumMap<>(type);
        for (String part : list(spec)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("mix entries are outcome=weight: '" + part + "' in '" + spec + "'");
            }
            E outcome = byKey.apply(part.substring(0, eq).trim());
            try {
                m.put(outcome, Integer.parseInt(part.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("mix weight must be a whole number: '" + part + "'");
            }
        }
        return m;
    }

    private static Map<String, Object> modelSummary(TrafficConfig c, boolean live) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", c.seed());
        m.put("start", Instant.ofEpochSecond(0, c.startMicros() * 1000).toString());
        m.put("live", live);
        m.put("calls", c.calls());
        m.put("registrations", c.registrations());
        m.put("calls_per_second", c.callsPerSecond());
        m.put("registrations_per_second", c.registrationsPerSecond());
        m.put("users", c.users());
        m.put("destinations", c.destinations());
        Map<String, Integer> mix = new LinkedHashMap<>();
        c.callMix().forEach((k, v) -> mix.put(k.key(), v));
        m.put("call_mix", mix);
        Map<String, Integer> rmix = new LinkedHashMap<>();
        c.registrationMix().forEach((k, v) -> rmix.put(k.key(), v));
        m.put("registration_mix", rmix);
        m.put("call_duration", c.callDuration().toString());
        m.put("capture_id", c.captureId());
        m.put("node", c.nodeName());
        return m;
    }

    /** The traffic up to (excluding) HEP time {@code endMicros}. */
    private static Iterator<TrafficPacket> until(Iterator<TrafficPacket> in, long endMicros) {
        return new Iterator<>() {
            private TrafficPacket next = advance();

            private TrafficPacket advance() {
                if (!in.hasNext()) {
                    return null;
                }
                TrafficPacket p = in.next();
                return p.hep().timestampMicros() < endMicros ? p : null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public TrafficPacket next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                TrafficPacket p = next;
                next = advance();
                return p;
            }
        };
    }

    /**
     * Runs hepgen without the application, parsing the arguments with argparse4j exactly as
     * Dropwizard's {@code Cli} does for a command (used by scripts, e.g. {@code bench/hepgen-pcap-check.sh}).
     * Exits 1 on bad arguments.
     */
    public static void main(String[] args) throws Exception {
        io.dropwizard.logging.common.BootstrapLogging.bootstrap(); // WARN, as the application's Cli does
        HepgenCommand command = new HepgenCommand();
        ArgumentParser parser = parser(command);
        String[] all = new String[args.length + 1];
        all[0] = command.getName();
        System.arraycopy(args, 0, all, 1, args.length);
        try {
            command.execute(parser.parseArgs(all));
        } catch (ArgumentParserException e) {
            parser.handleError(e);
            System.exit(1);
        } catch (IllegalArgumentException e) {
            System.err.println("hepgen: " + e.getMessage());
            System.exit(1);
        }
    }

    /** An argparse4j parser with this command as its only subcommand, the way Dropwizard's {@code Cli} builds it. */
    static ArgumentParser parser(HepgenCommand command) {
        ArgumentParser parser = ArgumentParsers.newFor("collector").build();
        Subparser sub = parser.addSubparsers().addParser(command.getName()).help(command.getDescription())
                .description(command.getDescription());
        command.configure(sub);
        return parser;
    }
}
