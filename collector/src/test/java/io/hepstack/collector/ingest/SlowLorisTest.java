package io.hepstack.collector.ingest;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

/** Attack: a client that trickles one byte at a time is never idle, but its unfinished frame is cut. */
class SlowLorisTest {

    @Test
    void aClientTricklingOneFrameIsCutWhileAnHonestSlowClientStays() throws Exception {
        HepListenerConfig config = new HepListenerConfig();
        config.tcpFrameTimeoutSeconds = 1;
        config.tcpIdleTimeoutSeconds = 600;
        try (Listening l = new Listening(config);
             Socket loris = new Socket("127.0.0.1", l.listeners.tcpPort());
             Socket honest = new Socket("127.0.0.1", l.listeners.tcpPort())) {
            byte[] frame = Listening.sip(1, null);
            OutputStream lo = loris.getOutputStream();
            OutputStream ho = honest.getOutputStream();
            boolean cut = false;
            int sent = 0;
            // 300 ms a byte for the loris; a whole frame every 300 ms for the honest client
            for (int i = 0; i < 12 && !cut; i++) {
                try {
                    lo.write(frame[i]);
                    lo.flush();
                } catch (java.io.IOException closed) {
                    cut = true;
                }
                ho.write(frame);
                ho.flush();
                sent++;
                Thread.sleep(300);
            }
            assertThat(cut || ConnectionCapsTest.readEnd(loris)).as("the trickling client was cut").isTrue();
            assertThat(l.meter("hep.connections.cut_partial_frame")).isEqualTo(1);
            assertThat(l.meter("hep.tcp.rejected.too_short")).as("its unfinished bytes were counted when cut").isEqualTo(1);

            // the honest one is still open and served
            ho.write(frame);
            ho.flush();
            sent++;
            assertThat(l.awaitAccepted(sent)).as("every frame of the honest client accepted").hasSize(sent);
            assertThat(l.meter("hep.connections.cut_idle")).isZero();
        }
    }
}
