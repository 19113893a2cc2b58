package io.hepstack.collector.correlate;

import io.hepstack.collector.protocol.sip.SdpCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Codec names: recent ones come from a small table, which must never answer another codec. */
class MediaDescriptionTest {

    @Test
    void nameIsEncodingSlashRateWhateverTheTableHeld() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 500; i++) {
                String encoding = "enc" + (i % 37);
                int rate = 8000 + (i % 11) * 8000;
                SdpCodec c = new SdpCodec(96, encoding, rate, 1, null);
                assertThat(MediaDescription.name(c)).isEqualTo(encoding + "/" + rate);
            }
        }
        SdpCodec pcma = new SdpCodec(8, "PCMA", 8000, 1, null);
        assertThat(MediaDescription.name(pcma)).isEqualTo("PCMA/8000").isSameAs(MediaDescription.name(pcma));
        assertThat(MediaDescription.name(new SdpCodec(8, "PCMA", 16000, 1, null))).isEqualTo("PCMA/16000");
        assertThat(MediaDescription.name(new SdpCodec(8, "pcma", 8000, 1, null))).isEqualTo("pcma/8000");
    }
}
