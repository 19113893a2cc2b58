package io.hepstack.collector.es;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import io.hepstack.collector.journal.OwnerOnly;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A single-node Elasticsearch that the collector provisions and runs itself.
 *
 * <p>It unpacks the minimal distribution (Maven Central's {@code integ-test-zip}, fetched by the
 * build) under {@code <dataDir>/dist/}, keeps its data and logs under {@code <dataDir>/}, and
 * starts it daemonised with a pid file. Elasticsearch refuses to run as root, so when the
 * collector runs as root it creates an unprivileged system user (default {@code hepstack-es}),
 * hands it the Elasticsearch folders and starts the node through {@code su}. {@link #start()}
 * returns once {@code GET /_cluster/health?wait_for_status=yellow} answers (this distribution
 * answers 405 to {@code GET /}); {@link #stop()} stops the node by its pid.
 *
 * <p>A node left running by a collector that died (its pid file still points to a live
 * Elasticsearch) is stopped before a new one starts, so restarts never fight over the data folder.
 */
public final class EmbeddedElasticsearch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedElasticsearch.class);

    /** Settings of the embedded node; see {@code collector/config.yml} for what each one means. */
    public record Settings(Path distributionZip, Path dataDir, int httpPort, String heap, String runAsUser,
                           Duration startTimeout, List<String> extraSettings) {
        public Settings {
            if (distributionZip == null) {
                throw new IllegalArgumentException("distributionZip must be set");
            }
            if (dataDir == null) {
                throw new IllegalArgumentException("dataDir must be set");
            }
            if (httpPort < 0 || httpPort > 65535) {
                throw new IllegalArgumentException("httpPort must be 0..65535 (0 = any free port): " + httpPort);
            }
            if (heap == null || !heap.matches("\\d+[mMgG]")) {
                throw new IllegalArgumentException("heap must look like 512m or 1g: " + heap);
            }
            if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
            }
            extraSettings = extraSettings == null ? List.of() : List.copyOf(extraSettings);
            runAsUser = runAsUser == null || runAsUser.isBlank() ? "hepstack-es" : runAsUser;
        }
    }

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile int port;
    private volatile long pid = -1;

    public EmbeddedElasticsearch(Settings settings) {
        this.settings = settings;
    }

    /** http://127.0.0.1:PORT once started. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return pid;
    }

    public synchronized void start() throws IOException, InterruptedException {
        if (pid > 0) {
            return;
        }
        if (!Files.isRegularFile(settings.distributionZip())) {
            throw new IOException("Elasticsearch distribution not found at " + settings.distributionZip().toAbsolutePath()
                    + " — build the collector with 'mvn -B package' (it fetches the integ-test-zip from Maven Central),"
                    + " or set elasticsearch.embedded.distribution");
        }
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        OwnerOnly.directories(dataDir); // captured traffic: the collector's (or Elasticsearch's) user only
        Path home = unpack(settings.distributionZip(), dataDir.resolve("dist"));
        Path data = dataDir.resolve("data");
        Path logs = dataDir.resolve("logs");
        Path pidFile = dataDir.resolve("elasticsearch.pid");
        Files.createDirectories(data);
        Files.createDirectories(logs);
        stopStaleNode(pidFile);
        Files.deleteIfExists(pidFile);

        port = settings.httpPort() == 0 ? freePort() : settings.httpPort();
        if (!isPortFree(port)) {
            throw new IOException("port " + port + " is already taken: another Elasticsearch or program listens there;"
                    + " stop it, or choose elasticsearch.embedded.httpPort (0 = any free port)");
        }
        List<String> esArgs = new ArrayList<>(List.of(
                home.resolve("bin/elasticsearch").toString(), "-d", "-p", pidFile.toString(),
                "-E", "discovery.type=single-node",
                "-E", "xpack.security.enabled=false",
                "-E", "network.host=127.0.0.1",
                "-E", "http.port=" + port,
                "-E", "transport.port=" + (settings.httpPort() == 0 ? freePort() : "9300-9400"),
                "-E", "path.data=" + data,
                "-E", "path.logs=" + logs,
                "-E", "cluster.name=hepstack-embedded",
                "-E", "node.name=hepstack-embedded",
                // the disk watermarks stay on (Elasticsearch's 85/90/95 % unless extraSettings say otherwise):
                // a full disk makes the indices read-only instead of corrupting them; retention keeps it from filling
                "-E", "action.auto_create_index=true"));
        for (String extra : settings.extraSettings()) {
            esArgs.add("-E");
            esArgs.add(extra);
        }

        ProcessBuilder pb;
        String javaHome = System.getProperty("java.home");
        String javaOpts = "-Xms" + settings.heap() + " -Xmx" + settings.heap();
        if (isRoot()) {
            String user = settings.runAsUser();
            ensureUser(user);
            run(List.of("chown", "-R", user, dataDir.toString()));
            String command = "cd " + shellQuote(home.toString()) + " && ES_JAVA_HOME=" + shellQuote(javaHome)
                    + " ES_JAVA_OPTS=" + shellQuote(javaOpts) + " exec " + String.join(" ", esArgs.stream().map(EmbeddedElasticsearch::shellQuote).toList());
            pb = new ProcessBuilder("su", user, "-s", "/bin/bash", "-c", command);
        } else {
            pb = new ProcessBuilder(esArgs);
            pb.environment().put("ES_JAVA_HOME", javaHome);
            pb.environment().put("ES_JAVA_OPTS", javaOpts);
            pb.directory(home.toFile());
        }
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectErrorStream(true);
        Path startLog = logs.resolve("start.out");
        pb.redirectOutput(startLog.toFile());
        LOG.info("starting embedded Elasticsearch {} on port {} (data {}, heap {})", home.getFileName(), port, dataDir, settings.heap());
        Instant begin = Instant.now();
        Process launcher = pb.start();
        // with -d the launcher exits once the node has daemonised (or failed to)
        if (!launcher.waitFor(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            launcher.destroyForcibly();
            throw new IOException("Elasticsearch launcher did not return within " + settings.startTimeout() + "; see " + startLog);
        }
        if (launcher.exitValue() != 0) {
            throw new IOException("Elasticsearch failed to start (exit " + launcher.exitValue() + "):\n" + tail(startLog, logs));
        }
        pid = readPid(pidFile, Duration.ofSeconds(10));
        Duration left = settings.startTimeout().minus(Duration.between(begin, Instant.now()));
        if (!waitForHealth(left.isNegative() ? Duration.ofSeconds(5) : left)) {
            String tail = tail(startLog, logs);
            stop();
            throw new IOException("Elasticsearch did not become healthy on " + url() + " within " + settings.startTimeout() + ":\n" + tail);
        }
        LOG.info("embedded Elasticsearch is up on {} (pid {}) after {} ms", url(), pid, Duration.between(begin, Instant.now()).toMillis());
    }

    /** Stops the node by pid: SIGTERM, then SIGKILL after 30 s. Safe to call twice. */
    public synchronized void stop() {
        if (pid <= 0) {
            return;
        }
        long p = pid;
        pid = -1;
        Optional<ProcessHandle> handle = ProcessHandle.of(p);
        if (handle.isEmpty()) {
            return;
        }
        LOG.info("stopping embedded Elasticsearch (pid {})", p);
        handle.get().destroy();
        try {
            handle.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Elasticsearch (pid {}) did not stop in 30 s; killing it", p);
            handle.get().destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** True when the cluster answers health with at least yellow. */
    public boolean healthy() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/_cluster/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && !r.body().contains("\"status\":\"red\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private enum Health { UP, NOT_YET, DIED }

    /** Polls health every 500 ms (Failsafe) until green/yellow, the node dies, or {@code timeout}. */
    private boolean waitForHealth(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration every = Duration.ofMillis(500);
        RetryPolicy<Health> poll = RetryPolicy.<Health>builder()
                // only a NOT_YET answer is retried (an exception ends the wait, as it always did)
                .handleIf((h, failure) -> failure == null && h == Health.NOT_YET
                        && System.nanoTime() + every.toNanos() < deadline)
                .withDelay(every)
                .withMaxRetries(-1)
                .build();
        try {
            return Failsafe.with(poll).get(this::healthOnce) == Health.UP;
        } catch (FailsafeException e) {
            throw interrupted(e);
        }
    }

    private Health healthOnce() throws InterruptedException {
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
            return Health.DIED; // the node died while starting
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=2s"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return Health.UP;
            }
        } catch (IOException notYet) {
            // connection refused while the node boots
        }
        return Health.NOT_YET;
    }

    /** The InterruptedException a Failsafe wait was ended by (Failsafe wraps checked exceptions). */
    private static InterruptedException interrupted(FailsafeException e) {
        if (e.getCause() instanceof InterruptedException ie) {
            return ie;
        }
        InterruptedException ie = new InterruptedException("interrupted while waiting for Elasticsearch");
        ie.initCause(e);
        return ie;
    }

    private void stopStaleNode(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        try {
            long stale = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> h = ProcessHandle.of(stale);
            if (h.isPresent() && h.get().isAlive() && h.get().info().command().orElse("").contains("java")) {
                LOG.warn("an Elasticsearch (pid {}) from an earlier run still holds {}; stopping it", stale, pidFile.getParent());
                h.get().destroy();
                h.get().onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("could not check stale pid file {}: {}", pidFile, e.toString());
        }
    }

    /** Polls every 100 ms (Failsafe) for the pid file Elasticsearch writes once started. */
    private static long readPid(Path pidFile, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RetryPolicy<Long> poll = RetryPolicy.<Long>builder()
                .handleIf((p, failure) -> failure == null && p < 0 && System.nanoTime() < deadline)
                .withDelay(Duration.ofMillis(100))
                .withMaxRetries(-1)
                .build();
        long pid;
        try {
            pid = Failsafe.with(poll).get(() -> {
                if (Files.isRegularFile(pidFile)) {
                    String s = Files.readString(pidFile).trim();
                    if (!s.isEmpty()) {
                        return Long.parseLong(s);
                    }
                }
                return -1L;
            });
        } catch (FailsafeException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw interrupted(e);
        }
        if (pid < 0) {
            throw new IOException("Elasticsearch wrote no pid file at " + pidFile);
        }
        return pid;
    }

    /** Unpacks the zip once into {@code distDir/<top folder>}; returns the Elasticsearch home. */
    static Path unpack(Path zip, Path distDir) throws IOException {
        String top = null;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e = in.getNextEntry();
            if (e != null) {
                top = e.getName().split("/")[0];
            }
        }
        if (top == null) {
            throw new IOException("empty Elasticsearch distribution " + zip);
        }
        Path home = distDir.resolve(top);
        Path marker = home.resolve(".unpacked");
        if (Files.isRegularFile(marker)) {
            return home;
        }
        Files.createDirectories(distDir);
        Path tmp = Files.createTempDirectory(distDir, "unpack-").toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path target = tmp.resolve(e.getName()).normalize();
                if (!target.startsWith(tmp)) {
                    throw new IOException("zip entry outside the target folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(new NonClosing(in), target, StandardCopyOption.REPLACE_EXISTING);
                String name = e.getName();
                if (name.contains("/bin/") || name.endsWith(".so")) {
                    Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(target, perms);
                }
            }
        }
        if (Files.exists(home)) {
            deleteTree(home);
        }
        Files.move(tmp.resolve(top), home);
        deleteTree(tmp);
        Files.writeString(marker, zip.getFileName().toString());
        return home;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void ensureUser(String user) throws IOException, InterruptedException {
        if (run(List.of("id", "-u", user)) == 0) {
            return;
        }
        LOG.info("creating system user {} to run Elasticsearch (it refuses to run as root)", user);
        int rc = run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user));
        if (rc != 0 && run(List.of("id", "-u", user)) != 0) {
            throw new IOException("could not create user " + user + " (useradd exit " + rc + "); create it or run the collector as a non-root user");
        }
    }

    private static int run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static boolean isPortFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String tail(Path startLog, Path logs) {
        StringBuilder sb = new StringBuilder();
        for (Path p : List.of(startLog, logs.resolve("hepstack-embedded.log"))) {
            try {
                List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                sb.append("--- ").append(p).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (IOException ignored) {
                // the file may not exist yet
            }
        }
        return sb.toString();
    }

    /** Lets Files.copy read one zip entry without closing the whole ZipInputStream. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
