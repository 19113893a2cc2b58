package io.hepstack.collector.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and certificates signed by it, made at test time with the JDK's own keytool (no
 * key material in the repository, nothing downloaded). Each certificate is written as PEM (chain
 * and PKCS#8 key, what the collector reads) and kept as a key store (what a Java client uses).
 */
final class TestCertificates {

    static final char[] PASSWORD = "changeit".toCharArray();

    private final Path dir;
    final Path caPem;

    TestCertificates(Path dir, String caName) throws Exception {
        this.dir = dir;
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + caName,
                "-ext", "bc:c", "-validity", "2", "-keystore", store(caName));
        caPem = dir.resolve(caName + ".pem");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", store(caName), "-file", caPem.toString());
        this.caName = caName;
    }

    private final String caName;

    /** A certificate for {@code cn} signed by the CA (SAN 127.0.0.1): its PEM files and key store. */
    Issued issue(String cn) throws Exception {
        String ks = store(cn);
        keytool("-genkeypair", "-alias", "me", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                "-validity", "2", "-keystore", ks);
        Path csr = dir.resolve(cn + ".csr");
        keytool("-certreq", "-alias", "me", "-keystore", ks, "-file", csr.toString());
        Path cert = dir.resolve(cn + ".pem");
        keytool("-gencert", "-alias", "ca", "-keystore", store(caName), "-infile", csr.toString(), "-outfile",
                cert.toString(), "-rfc", "-ext", "san=ip:127.0.0.1", "-validity", "2");
        KeyStore self = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(ks))) {
            self.load(in, PASSWORD);
        }
        PrivateKey key = (PrivateKey) self.getKey("me", PASSWORD);
        Path keyPem = dir.resolve(cn + ".key");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        List<Certificate> chain = new ArrayList<>(read(cert));
        chain.addAll(read(caPem));
        KeyStore signed = KeyStore.getInstance("PKCS12");
        signed.load(null, null);
        signed.setKeyEntry("me", key, PASSWORD, chain.toArray(new Certificate[0]));
        return new Issued(cert, keyPem, signed);
    }

    record Issued(Path certificate, Path key, KeyStore keyStore) {
    }

    /** A trust store holding only the CA. */
    KeyStore trust() throws Exception {
        KeyStore t = KeyStore.getInstance("PKCS12");
        t.load(null, null);
        t.setCertificateEntry("ca", read(caPem).get(0));
        return t;
    }

    static List<X509Certificate> read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            return out;
        }
    }

    private String store(String name) {
        return dir.resolve(name + ".p12").toString();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-noprompt"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
