package io.hepstack.tools.hepgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.JarLocation;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.sourceforge.argparse4j.inf.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as Dropwizard runs it: through {@link Cli} with argparse4j. */
class HepgenCommandTest {

    /** The smallest application that can carry the command. */
    static final class TestApp extends Application<Configuration> {
        @Override
        public void run(Configuration configuration, Environment environment) {
        }
    }

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final ByteArrayOutputStream summary = new ByteArrayOutputStream();

    private Optional<Throwable> cli(String... args) {
        Bootstrap<Configuration> bootstrap = new Bootstrap<>(new TestApp());
        bootstrap.addCommand(new HepgenCommand(new PrintStream(summary, true, StandardCharsets.UTF_8)));
        Cli cli = new Cli(new JarLocation(HepgenCommandTest.class), bootstrap, stdout, stderr);
        return cli.run(args);
    }

    private String summary() {
        return summary.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pcapRunPrintsAJsonSummaryAndWritesEveryPacket(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("out.pcap");
        assertThat(cli("hepgen", "--pcap", pcap.toString(), "--calls", "40", "--registrations", "10", "--seed", "9",
                "--start", "2026-03-01T12:00:00Z", "--mix", "answered=3,busy=1", "--json")).isEmpty();
        JsonNode j = new ObjectMapper().readTree(summary());
        assertThat(j.get("calls").get("answered").asLong()).isEqualTo(30);
        assertThat(j.get("calls").get("busy").asLong()).isEqualTo(10);
        assertThat(j.get("calls").get("cancelled").asLong()).isZero();
        long regs = 0;
        for (JsonNode n : j.get("registrations")) {
            regs += n.asLong();
        }
        assertThat(regs).isEqualTo(10);
        assertThat(j.get("model").get("start").asText()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(j.get("first_hep_time").asText()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(j.get("send_errors").asLong()).isZero();

        List<PcapPacket> frames = PcapReader.read(pcap);
        assertThat(frames).hasSize(j.get("packets").asInt());
        HepDecoder decoder = new HepDecoder();
        long sip = 0;
        long bytes = 0;
        for (PcapPacket f : frames) {
            assertThat(f.isUdp()).isTrue();
            assertThat(f.srcPort()).isEqualTo(40000);
            assertThat(f.dstPort()).isEqualTo(9060);
            assertThat(HepPacket.ipText(f.srcIp())).isEqualTo("127.0.0.1");
            HepPacket p = decoder.decode(f.payload(), 0, f.payload().length);
            assertThat(p.timestampMicros()).isEqualTo(f.timestampMicros());
            sip += p.protoType == 1 ? 1 : 0;
            bytes += f.payload().length;
        }
        assertThat(j.get("hep_types").get("1").asLong()).isEqualTo(sip);
        assertThat(j.get("bytes").asLong()).isEqualTo(bytes);
    }

    @Test
    void sameArgumentsSameFileAnotherSeedAnotherFile(@TempDir Path dir) throws Exception {
        String[] common = {"--calls", "25", "--start", "2026-01-01T00:00:00Z", "--auth-key", "k"};
        byte[][] files = new byte[3][];
        String[] seeds = {"5", "5", "6"};
        for (int i = 0; i < 3; i++) {
            Path f = dir.resolve("f" + i + ".pcap");
            String[] args = new String[common.length + 5];
            args[0] = "hepgen";
            args[1] = "--pcap";
            args[2] = f.toString();
            args[3] = "--seed";
            args[4] = seeds[i];
            System.arraycopy(common, 0, args, 5, common.length);
            assertThat(cli(args)).isEmpty();
            files[i] = Files.readAllBytes(f);
        }
        assertThat(files[1]).isEqualTo(files[0]);
        assertThat(files[2]).isNotEqualTo(files[0]);
    }

    @Test
    void udpRunSendsTheCountToTheGivenPort() throws Exception {
        try (HepSenderTest.UdpReceiver rx = new HepSenderTest.UdpReceiver()) {
            InetSocketAddress a = rx.address();
            assertThat(cli("hepgen", "--host", "127.0.0.1", "--port", Integer.toString(a.getPort()), "--rate", "2000",
                    "--count", "300", "--seed", "4")).isEmpty();
            rx.awaitCount(300);
            assertThat(rx.packets).hasSize(300);
            assertThat(summary()).contains("hepgen: udp 127.0.0.1:" + a.getPort()).contains("300 packets")
                    .contains("stopped by packet count").contains("send errors: 0");
        }
    }

    @Test
    void badArgumentsAreReported() {
        assertThat(cli("hepgen", "--transport", "sctp")).isPresent();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("invalid choice: 'sctp'");
        Optional<Throwable> e = cli("hepgen", "--pcap", "/dev/null", "--mix", "answred=1");
        assertThat(e).isPresent();
        assertThat(e.get()).hasMessageContaining("unknown call outcome 'answred'");
        assertThat(cli("hepgen", "--pcap", "/dev/null", "--start", "yesterday").get())
                .hasMessageContaining("'yesterday'");
        assertThat(cli("hepgen", "--pcap", "/dev/null", "--calls", "0", "--registrations", "0").get())
                .hasMessageContaining("nothing to send");
    }

    @Test
    void theCallRateIsDerivedFromThePacketRate() throws Exception {
        HepgenCommand command = new HepgenCommand(new PrintStream(summary, true, StandardCharsets.UTF_8));
        Namespace ns = HepgenCommand.parser(command).parseArgs(new String[] {"hepgen", "--rate", "5000", "--calls", "1000",
            "--registrations", "250"});
        TrafficConfig c = HepgenCommand.trafficConfig(ns, 5000, false, false, 1_000_000L);
        // model packets per second = cps × packets per call + rps × packets per registration
        double modelRate = c.callsPerSecond() * c.expectedPacketsPerCall()
                + c.registrationsPerSecond() * c.expectedPacketsPerRegistration();
        assertThat(modelRate).isCloseTo(5000, within(1e-6));
        assertThat(c.registrationsPerSecond() / c.callsPerSecond()).isCloseTo(0.25, within(1e-12));
        assertThat(c.startMicros()).isEqualTo(1_000_000L);
        // capped without counts: unlimited traffic
        Namespace capped = HepgenCommand.parser(command).parseArgs(new String[] {"hepgen", "--duration", "10"});
        TrafficConfig u = HepgenCommand.trafficConfig(capped, 1000, false, true, 1_000_000L);
        assertThat(u.calls()).isEqualTo(TrafficConfig.UNLIMITED);
        assertThat(u.registrations()).isEqualTo(TrafficConfig.UNLIMITED);
    }

    @Test
    void pcapDurationIsHepTime(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("d.pcap");
        assertThat(cli("hepgen", "--pcap", pcap.toString(), "--duration", "30", "--cps", "2", "--rps", "1",
                "--start", "2026-01-01T00:00:00Z", "--json")).isEmpty();
        List<PcapPacket> frames = PcapReader.read(pcap);
        assertThat(frames).isNotEmpty();
        long first = frames.get(0).timestampMicros();
        assertThat(frames.get(frames.size() - 1).timestampMicros() - first).isLessThan(30_000_000L).isGreaterThan(25_000_000L);
    }
}
