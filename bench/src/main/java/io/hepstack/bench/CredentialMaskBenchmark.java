package io.hepstack.bench;

import io.hepstack.collector.protocol.sip.CredentialMask;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code pipeline.redactCredentials} costs per SIP message: {@link CredentialMask} scanning the
 * header section in place, over the SIP payloads of {@link BenchData} (most have no credentials: the
 * common case is one pass over the header lines) and over a REGISTER with a digest Authorization
 * (the masked case; masking twice is idempotent, so the same bytes can be reused). Allocation
 * (JMH's {@code -prof gc}) should be zero.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CredentialMaskBenchmark {

    @Param({"CAPTURES", "HEPGEN"})
    public BenchData.Source source;

    private byte[][] messages;
    private byte[] register;
    private int next;

    @Setup
    public void load() {
        List<byte[]> list = BenchData.sipPayloads(source);
        messages = list.stream().map(byte[]::clone).toArray(byte[][]::new);
        register = ("REGISTER sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:alice@example.com>\r\nFrom: <sip:alice@example.com>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710@10.0.0.1\r\nCSeq: 2 REGISTER\r\nContact: <sip:alice@10.0.0.1:5060>\r\n"
                + "Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\","
                + " uri=\"sip:example.com\", response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5,"
                + " cnonce=\"0a4f113b\", qop=auth, nc=00000001\r\n"
                + "Expires: 3600\r\nContent-Length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Benchmark
    public int captured() {
        byte[] m = messages[next];
        next = next + 1 == messages.length ? 0 : next + 1;
        return CredentialMask.mask(m, 0, m.length);
    }

    @Benchmark
    public int registerWithDigest() {
        return CredentialMask.mask(register, 0, register.length);
    }
}
