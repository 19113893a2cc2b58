package io.hepstack.collector.ingest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: a client without a client certificate (or with one from another CA) on a mutual-TLS HEP
 * listener. Also: the server's certificate is replaced on disk and new connections get it, with no
 * restart.
 */
class MutualTlsTest {

    @TempDir
    static Path dir;

    /** keytool starts a JVM per step: the certificates are made once for the class. */
    private static TestCertificates ca;
    private static TestCertificates.Issued server;
    private static TestCertificates.Issued renewed;
    private static KeyStore agent;
    private static KeyStore intruder;

    private HepListenerConfig config;
    private Path serverCert;
    private Path serverKey;

    @BeforeAll
    static void certificates() throws Exception {
        ca = new TestCertificates(dir, "hep-test-ca");
        server = ca.issue("collector-1");
        renewed = ca.issue("collector-2");
        agent = ca.issue("agent-1").keyStore();
        intruder = new TestCertificates(dir, "other-ca").issue("intruder").keyStore();
    }

    @BeforeEach
    void serverFiles(@TempDir Path own) throws Exception {
        serverCert = Files.copy(server.certificate(), own.resolve("server.pem"));
        serverKey = Files.copy(server.key(), own.resolve("server.key"));
        config = new HepListenerConfig();
        config.tls.enabled = true;
        config.tls.certificate = serverCert.toString();
        config.tls.privateKey = serverKey.toString();
        config.tls.clientCaCertificate = ca.caPem.toString();
        config.tcp.enabled = false; // TLS only: plain listeners off
        config.udp.enabled = false;
    }

    @Test
    void aClientWithoutACertificateSignedByTheCaIsRefused() throws Exception {
        try (Listening l = new Listening(config)) {
            assertThat(l.listeners.tcpPort()).as("plain TCP is off").isEqualTo(-1);
            assertThat(l.listeners.udpPort()).as("plain UDP is off").isEqualTo(-1);
            int port = l.listeners.tlsPort();

            assertThat(sendOver(client(null), port, 1)).as("no client certificate").isFalse();
            assertThat(sendOver(client(intruder), port, 2)).as("another CA's certificate").isFalse();
            assertThat(sendOver(client(agent), port, 3)).as("the CA's agent").isTrue();
            assertThat(l.awaitAccepted(1)).extracting(m -> m.hep.captureId).containsExactly(3L);
        }
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        try (Listening l = new Listening(config)) {
            int port = l.listeners.tlsPort();
            assertThat(serverName(client(agent), port)).isEqualTo("CN=collector-1");

            Files.copy(renewed.key(), serverKey, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed.certificate(), serverCert, StandardCopyOption.REPLACE_EXISTING);
            FileTime later = FileTime.from(Instant.now().plusSeconds(5));
            Files.setLastModifiedTime(serverKey, later);
            Files.setLastModifiedTime(serverCert, later);
            l.listeners.reloadChangedFiles();

            assertThat(serverName(client(agent), port)).isEqualTo("CN=collector-2");
            assertThat(sendOver(client(agent), port, 4)).isTrue();
            assertThat(l.awaitAccepted(1)).extracting(m -> m.hep.captureId).containsExactly(4L);
        }
    }

    private static SSLContext client(KeyStore keys) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ca.trust());
        KeyManagerFactory kmf = null;
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, TestCertificates.PASSWORD);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * Handshakes, sends one packet and waits for the server's answer or close; true when the
     * connection was still up afterwards (TLS 1.3 reports a refused client certificate only on the
     * first read after the handshake).
     */
    private static boolean sendOver(SSLContext ctx, int port, long captureId) throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(1_000);
            s.startHandshake();
            s.getOutputStream().write(Listening.sip(captureId, null));
            s.getOutputStream().flush();
            try {
                return s.getInputStream().read() != -1; // the collector never writes: -1 means closed
            } catch (java.net.SocketTimeoutException stillOpen) {
                return true;
            }
        } catch (javax.net.ssl.SSLException | java.net.SocketException refused) {
            return false;
        }
    }

    private static String serverName(SSLContext ctx, int port) throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }
}
