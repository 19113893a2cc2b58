package io.hepstack.collector.ingest;

import io.hepstack.enricher.reload.LoadException;
import io.hepstack.enricher.reload.ReloadableFile;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The HEP TLS listener's {@link SslContext}, rebuilt when the certificate, the key or the client CA
 * file changes (a renewed certificate needs no restart; new connections get it, open ones keep
 * theirs). A rebuild that fails (a half-written file) keeps the previous context and is logged and
 * reported by {@link ReloadableFile#status()}. With a client CA file the listener does mutual TLS:
 * a client without a certificate signed by that CA is refused in the handshake.
 */
final class TlsContext {

    private final ReloadableFile<SslContext> context;
    private final List<ReloadableFile<?>> files = new ArrayList<>();

    TlsContext(HepListenerConfig.Tls config) {
        if (config.certificate == null || config.privateKey == null) {
            throw new IllegalArgumentException("hep.tls.enabled needs hep.tls.certificate and hep.tls.privateKey (PEM files)");
        }
        Path cert = Path.of(config.certificate);
        try {
            context = new ReloadableFile<>("hep-tls", cert, p -> build(config)).loadInitial();
            files.add(context);
            // the key and the CA are files of their own: a change to either rebuilds the context
            for (String other : new String[]{config.privateKey, config.clientCaCertificate}) {
                if (other != null) {
                    files.add(new ReloadableFile<FileTime>("hep-tls-trigger", Path.of(other), TlsContext::modified)
                            .addListener((status, ok) -> context.reload()).loadInitial());
                }
            }
        } catch (LoadException e) {
            throw new IllegalArgumentException("cannot load the HEP TLS certificate/key: " + e.getMessage(), e);
        }
    }

    /** The current context; each new connection takes it. */
    SslContext current() {
        return context.current();
    }

    /** The files to poll for changes. */
    List<ReloadableFile<?>> files() {
        return files;
    }

    private static SslContext build(HepListenerConfig.Tls c) throws LoadException {
        Path cert = Path.of(c.certificate);
        try {
            SslContextBuilder b = SslContextBuilder.forServer(cert.toFile(), Path.of(c.privateKey).toFile())
                    .protocols(c.protocols);
            if (!c.ciphers.isEmpty()) {
                b.ciphers(c.ciphers);
            }
            if (c.clientCaCertificate != null) {
                b.trustManager(Path.of(c.clientCaCertificate).toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            return b.build();
        } catch (Exception e) {
            throw new LoadException(cert, 0, "cannot build a TLS context from " + c.certificate + ", " + c.privateKey
                    + (c.clientCaCertificate == null ? "" : ", " + c.clientCaCertificate) + ": " + e.getMessage(), e);
        }
    }

    private static FileTime modified(Path p) throws LoadException {
        try {
            return Files.getLastModifiedTime(p);
        } catch (java.io.IOException e) {
            throw new LoadException(p, 0, "cannot read: " + e.getMessage(), e);
        }
    }
}
