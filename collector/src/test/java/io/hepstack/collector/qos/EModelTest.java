package io.hepstack.collector.qos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EModelTest {

    private static final double EPS = 1e-6;

    private static final Map<String, Codec> CODECS = Map.of(
            "G711", Codec.G711, "G711_NO_PLC", Codec.G711_NO_PLC, "G729A", Codec.G729A, "G723_1", Codec.G723_1);

    private final EModel model = new EModel();

    /** Every row of the table scripts/emodel_reference.py computed from the ITU formulas alone. */
    @Test
    void matchesTheIndependentReferenceTable() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/qos/emodel-reference.csv"),
                StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo(
                "codec,loss_pct,burst_r,rtt_ms,jitter_ms,one_way_ms_given,one_way_ms,id,ie_eff,r,mos");
        assertThat(lines).hasSizeGreaterThan(20);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            Codec codec = CODECS.get(f[0]);
            double loss = Double.parseDouble(f[1]);
            double burst = Double.parseDouble(f[2]);
            EModel.Result r = f[5].isEmpty()
                    ? model.evaluate(codec, loss, burst, Double.parseDouble(f[3]), Double.parseDouble(f[4]))
                    : model.evaluateOneWay(codec, loss, burst, Double.parseDouble(f[5]));
            assertThat(r.oneWayDelayMs()).as(line + " d").isCloseTo(Double.parseDouble(f[6]), within(EPS));
            assertThat(r.id()).as(line + " Id").isCloseTo(Double.parseDouble(f[7]), within(EPS));
            assertThat(r.ieEff()).as(line + " Ie,eff").isCloseTo(Double.parseDouble(f[8]), within(EPS));
            assertThat(r.r()).as(line + " R").isCloseTo(Double.parseDouble(f[9]), within(EPS));
            assertThat(r.mos()).as(line + " MOS").isCloseTo(Double.parseDouble(f[10]), within(EPS));
        }
    }

    @Test
    void theCeilingIs93point2And4point41() {
        EModel.Result r = model.evaluateOneWay(Codec.G711, 0, 1, 0);
        assertThat(r.r()).isEqualTo(93.2);
        assertThat(r.mos()).isCloseTo(4.41, within(0.001));
    }

    @Test
    void mosFormulaEndsAndDip() {
        assertThat(EModel.mos(-5)).isEqualTo(1.0);
        assertThat(EModel.mos(0)).isEqualTo(1.0);
        assertThat(EModel.mos(3)).as("cubic is 0.989 here, held at 1").isEqualTo(1.0);
        assertThat(EModel.mos(100)).isEqualTo(4.5);
        assertThat(EModel.mos(120)).isEqualTo(4.5);
        // G.107 Annex B: R = 50 gives 1 + 1.75 - 50*10*50*7e-6 = 2.575
        assertThat(EModel.mos(50)).isCloseTo(2.575, within(1e-12));
    }

    @Test
    void advantageFactorAndJitterBufferAreConfigurable() {
        EModel mobile = new EModel(1.0, 10.0);
        // d = 0/2 + 1*10 + 20 = 30 ms: Id = 0.72; R = 93.2 - 0.72 + 10 = 102.48 -> reported 100, MOS 4.5
        EModel.Result r = mobile.evaluate(Codec.G711, 0, 1, 0, 10);
        assertThat(r.oneWayDelayMs()).isEqualTo(30.0);
        assertThat(r.r()).isEqualTo(100.0);
        assertThat(r.mos()).isEqualTo(4.5);
    }

    @Test
    void invalidInputsAreRejectedWithTheValue() {
        assertThatThrownBy(() -> model.evaluate(Codec.G711, 101, 1, 0, 0)).hasMessageContaining("101");
        assertThatThrownBy(() -> model.evaluate(Codec.G711, -1, 1, 0, 0)).hasMessageContaining("-1");
        assertThatThrownBy(() -> model.evaluate(Codec.G711, Double.NaN, 1, 0, 0)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> model.evaluate(Codec.G711, 1, 0.5, 0, 0)).hasMessageContaining("0.5");
        assertThatThrownBy(() -> model.evaluate(Codec.G711, 1, 1, -3, 0)).hasMessageContaining("-3");
        assertThatThrownBy(() -> model.evaluate(Codec.G711, 1, 1, 0, Double.POSITIVE_INFINITY))
                .hasMessageContaining("Infinity");
        assertThatThrownBy(() -> model.evaluate(null, 1, 1, 0, 0)).hasMessageContaining("codec");
        assertThatThrownBy(() -> new EModel(-1, 0)).hasMessageContaining("-1");
        assertThatThrownBy(() -> new EModel(2, 25)).hasMessageContaining("25");
    }

    @Test
    void codecFromRtpmap() {
        assertThat(Codec.fromRtpmap("PCMU/8000")).isSameAs(Codec.G711);
        assertThat(Codec.fromRtpmap("pcma/8000")).isSameAs(Codec.G711);
        assertThat(Codec.fromRtpmap("G729/8000")).isSameAs(Codec.G729A);
        assertThat(Codec.fromRtpmap("G729a/8000")).isSameAs(Codec.G729A);
        assertThat(Codec.fromRtpmap("G723/8000")).isSameAs(Codec.G723_1);
        assertThat(Codec.fromRtpmap(null)).isSameAs(Codec.G711);
        assertThat(Codec.fromRtpmap("  ")).isSameAs(Codec.G711);
        assertThat(Codec.fromRtpmap("PCMU")).isSameAs(Codec.G711);

        Codec opus = Codec.fromRtpmap("opus/48000/2");
        assertThat(opus.name()).isEqualTo("opus");
        assertThat(opus.clockRate()).isEqualTo(48000);
        assertThat(opus.sourcedImpairment()).isFalse();
        assertThat(opus.ie()).isEqualTo(0.0);
        assertThat(opus.bpl()).isEqualTo(25.1);

        Codec g722 = Codec.fromRtpmap("G722/8000");
        assertThat(g722.clockRate()).isEqualTo(8000);
        assertThat(g722.sourcedImpairment()).isFalse();
        assertThat(Codec.fromRtpmap("AMR-WB/16000/1").clockRate()).isEqualTo(16000);
        assertThat(Codec.fromRtpmap("PCMU/abc").clockRate()).as("bad rate falls back to 8000").isEqualTo(8000);
        assertThat(Codec.fromRtpmap("PCMU/16000")).isEqualTo(Codec.G711.withClockRate(16000));

        assertThat(Codec.G711.ie()).isEqualTo(0.0);
        assertThat(Codec.G711.bpl()).isEqualTo(25.1);
        assertThat(Codec.G711_NO_PLC.bpl()).isEqualTo(4.3);
        assertThat(Codec.G729A.ie()).isEqualTo(11.0);
        assertThat(Codec.G729A.bpl()).isEqualTo(19.0);
        assertThat(Codec.G723_1.ie()).isEqualTo(15.0);
        assertThat(Codec.G723_1.bpl()).isEqualTo(16.1);
    }
}
