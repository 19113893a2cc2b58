package io.hepstack.collector.ingest;

import io.hepstack.collector.hep.HepDecodeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Attack: packets with a wrong, missing or another agent's auth key; keys per agent, reloaded from a file. */
class AuthKeysTest {

    @TempDir
    Path dir;

    @Test
    void onlyAnAgentsOwnKeyAdmitsItsPacketsAndTheFileIsReloaded() throws Exception {
        Path file = dir.resolve("hep-keys");
        Files.writeString(file, "# agent key [capture ids]\nsbc-2 key-two\n");
        HepListenerConfig config = new HepListenerConfig();
        HepListenerConfig.AuthKey one = new HepListenerConfig.AuthKey();
        one.agent = "sbc-1";
        one.key = "key-one";
        one.captureIds = List.of(7L);
        config.authKeys.add(one);
        config.authKeysFile = file.toString();
        assertThat(one.toString()).doesNotContain("key-one");
        try (Listening l = new Listening(config); DatagramSocket s = new DatagramSocket()) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", l.listeners.udpPort());
            send(s, to, Listening.sip(7, "key-one"));   // accepted
            send(s, to, Listening.sip(8, "key-one"));   // sbc-1's key, another capture id
            send(s, to, Listening.sip(9, "key-two"));   // accepted (from the file)
            send(s, to, Listening.sip(10, "key-thre")); // wrong
            send(s, to, Listening.sip(11, null));       // none
            assertThat(l.awaitAccepted(2)).extracting(m -> m.hep.captureId).containsExactlyInAnyOrder(7L, 9L);
            awaitRejected(l, 3);
            assertThat(l.ingest.rejected(HepDecodeException.Reason.AUTH_FAILED)).isEqualTo(3);

            // the file changes: key-two is revoked, key-four added
            Files.writeString(file, "sbc-4 key-four 12\n");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
            l.listeners.reloadChangedFiles();
            send(s, to, Listening.sip(9, "key-two"));
            send(s, to, Listening.sip(12, "key-four"));
            assertThat(l.awaitAccepted(3)).extracting(m -> m.hep.captureId).containsExactlyInAnyOrder(7L, 9L, 12L);
            awaitRejected(l, 4);
            assertThat(l.ingest.rejected(HepDecodeException.Reason.AUTH_FAILED)).isEqualTo(4);
        }
    }

    @Test
    void aBrokenKeysFileFailsAtStartup() throws Exception {
        Path file = dir.resolve("hep-keys");
        Files.writeString(file, "lonely-agent-without-key\n");
        HepListenerConfig config = new HepListenerConfig();
        config.authKeysFile = file.toString();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Listening(config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hep-keys:1");
    }

    private static void send(DatagramSocket s, InetSocketAddress to, byte[] b) throws Exception {
        s.send(new DatagramPacket(b, b.length, to));
    }

    private static void awaitRejected(Listening l, long n) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (l.ingest.rejected(HepDecodeException.Reason.AUTH_FAILED) < n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }
}
