package io.hepstack.bench;

import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.Sdp;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipParseException;
import io.hepstack.collector.protocol.sip.SipParser;
import io.hepstack.collector.protocol.sip.Via;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * SIP parsing, one message per operation, cycling through the SIP payloads of {@link BenchData}:
 * {@code frame} is the parser's eager part (start line, header offsets); {@code documentFields}
 * also reads what an index document of a SIP message needs (method/status, Call-ID, CSeq,
 * From/To user and tag, Via branch, Request-URI user, User-Agent/Server, Contact, SDP media).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SipParseBenchmark {

    @Param({"CAPTURES", "HEPGEN"})
    public BenchData.Source source;

    private byte[][] messages;
    private SipParser parser;
    private int next;

    @Setup
    public void load() {
        List<byte[]> list = BenchData.sipPayloads(source);
        messages = list.toArray(new byte[0][]);
        parser = new SipParser();
    }

    private byte[] nextMessage() {
        byte[] m = messages[next];
        next = next + 1 == messages.length ? 0 : next + 1;
        return m;
    }

    @Benchmark
    public SipMessage frame() throws SipParseException {
        return parser.parse(nextMessage());
    }

    @Benchmark
    public void documentFields(Blackhole bh) throws SipParseException {
        SipMessage m = parser.parse(nextMessage());
        if (m.isRequest()) {
            bh.consume(m.method());
            if (m.requestUri() != null) {
                bh.consume(m.requestUri().user());
            }
        } else {
            bh.consume(m.statusCode());
            bh.consume(m.reasonPhrase());
        }
        bh.consume(m.callId());
        bh.consume(m.cseqNumber());
        bh.consume(m.cseqMethod());
        address(bh, m.from());
        address(bh, m.to());
        Via via = m.via();
        if (via != null) {
            bh.consume(via.branch());
            bh.consume(via.host());
        }
        NameAddress contact = m.contact();
        if (contact != null) {
            bh.consume(contact.uri());
        }
        bh.consume(m.userAgent());
        bh.consume(m.server());
        Sdp sdp = m.sdp();
        if (sdp != null) {
            bh.consume(sdp.connectionAddress());
            bh.consume(sdp.media());
        }
    }

    private static void address(Blackhole bh, NameAddress a) {
        if (a != null) {
            bh.consume(a.tag());
            if (a.uri() != null) {
                bh.consume(a.uri().user());
            }
        }
    }
}
