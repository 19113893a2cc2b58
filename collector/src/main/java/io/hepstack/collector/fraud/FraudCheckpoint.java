package io.hepstack.collector.fraud;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.journal.OwnerOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The fraud engine's state across a clean restart: {@link #save} writes it at a clean stop (after the
 * pipeline drained), {@link #restore} takes it back at the next start, before the first message.
 * Without it a burst split by a restart would go unnoticed (each half under the threshold).
 *
 * <p><b>File</b>: one line of header, then the {@link FraudSnapshot} as JSON:
 * <pre>
 * {"format":"hepstack-fraud-state","version":1,"saved":"2026-12-07T08:00:00Z","length":51234,"crc32c":"1a2b3c4d"}
 * {"nowMicros":...,"users":[...],...}          (length bytes, CRC32C over them)
 * </pre>
 * Written atomically: a temporary file (owner-only, 0600: it holds user names and numbers) is
 * fsynced, renamed over the old one, and the folder fsynced, so a crash while saving leaves the
 * previous file or the new one, never half of one.
 *
 * <p><b>Read once</b>: a restored file is deleted, so a crash later starts the engine empty rather
 * than from a state that is no longer the last one. A file that cannot be used (damaged, truncated,
 * another format version, not a snapshot) is never fatal: it is logged with the reason, counted,
 * renamed to {@code <file>.rejected} for a look, and the engine starts empty. A missing file (first
 * start, or the last stop was a crash) is logged and counted too.
 *
 * <p>Metrics: counters {@code fraud.checkpoint.saved}, {@code .save_failed}, {@code .restored},
 * {@code .rejected}, {@code .missing}.
 */
public final class FraudCheckpoint {

    static final String FORMAT = "hepstack-fraud-state";
    static final int VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(FraudCheckpoint.class);

    private final Path file;
    private final ObjectMapper mapper = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS) // the records' components only (not Alert.isNew())
            .build();
    private final Counter saved;
    private final Counter saveFailed;
    private final Counter restored;
    private final Counter rejected;
    private final Counter missing;

    /** The header line. */
    record Header(String format, int version, String saved, long length, String crc32c) {
    }

    /** Why a checkpoint file cannot be used. */
    static final class Unusable extends Exception {
        Unusable(String reason) {
            super(reason);
        }
    }

    public FraudCheckpoint(Path file, MetricRegistry metrics) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
        this.saved = metrics.counter("fraud.checkpoint.saved");
        this.saveFailed = metrics.counter("fraud.checkpoint.save_failed");
        this.restored = metrics.counter("fraud.checkpoint.restored");
        this.rejected = metrics.counter("fraud.checkpoint.rejected");
        this.missing = metrics.counter("fraud.checkpoint.missing");
    }

    public Path file() {
        return file;
    }

    /** Saves the engine's state; never throws (a failure is logged and counted, the next start is empty). */
    public boolean save(FraudEngine engine) {
        long start = System.nanoTime();
        try {
            FraudSnapshot s = engine.checkpoint();
            long bytes = write(s);
            saved.inc();
            LOG.info("fraud engine state saved to {}: {} users, {} sources, {} live calls, {} open alerts ({} bytes, {} ms)",
                    file, s.users().size(), s.sources().size(), s.calls().size(), s.openAlerts().size(), bytes,
                    (System.nanoTime() - start) / 1_000_000);
            return true;
        } catch (IOException | RuntimeException e) {
            saveFailed.inc();
            LOG.error("could not save the fraud engine state to {}: {}; the fraud counters start empty at the next start",
                    file, e.toString());
            return false;
        }
    }

    /**
     * Restores the state a clean stop saved into {@code engine} (which has seen nothing yet); never
     * throws. False when there was none or it could not be used (logged and counted).
     */
    public boolean restore(FraudEngine engine) {
        FraudSnapshot s;
        try {
            s = read();
        } catch (NoSuchFileException e) {
            missing.inc();
            LOG.info("no fraud engine state in {} (first start, or the last stop was not clean): the fraud counters start empty",
                    file);
            return false;
        } catch (IOException e) {
            return reject(e.toString());
        } catch (Unusable e) {
            return reject(e.getMessage());
        }
        try {
            engine.restore(s);
        } catch (IllegalArgumentException | NullPointerException e) {
            return reject("it does not hold together: " + e.getMessage());
        }
        restored.inc();
        LOG.info("fraud engine state restored from {}: {} users, {} sources, {} live calls, {} open alerts, clock {}",
                file, s.users().size(), s.sources().size(), s.calls().size(), s.openAlerts().size(),
                s.nowMicros() == Long.MIN_VALUE ? "unset" : Instant.EPOCH.plusNanos(s.nowMicros() * 1000));
        try {
            Files.delete(file); // read once: a crash from here on starts empty, not from this older state
        } catch (IOException e) {
            LOG.warn("could not delete the restored fraud engine state {}: {}", file, e.toString());
        }
        return true;
    }

    private boolean reject(String reason) {
        rejected.inc();
        Path aside = file.resolveSibling(file.getFileName() + ".rejected");
        LOG.warn("ignored the fraud engine state in {}: {}; the fraud counters start empty (the file is kept as {})",
                file, reason, aside.getFileName());
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("could not move {} aside: {}", file, e.toString());
        }
        return false;
    }

    /** Writes the file atomically; returns its size. */
    long write(FraudSnapshot s) throws IOException {
        byte[] body = mapper.writeValueAsBytes(s);
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] header = (mapper.writeValueAsString(new Header(FORMAT, VERSION, Instant.now().toString(), body.length,
                String.format("%08x", crc.getValue()))) + "\n").getBytes(StandardCharsets.UTF_8);
        Path dir = OwnerOnly.directories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // left by a crash while saving
        try (FileChannel ch = OwnerOnly.newFile(tmp)) {
            ByteBuffer b = ByteBuffer.allocate(header.length + body.length).put(header).put(body).flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        OwnerOnly.syncDirectory(dir);
        return header.length + (long) body.length;
    }

    /** Reads and checks the file. */
    FraudSnapshot read() throws IOException, Unusable {
        byte[] all = Files.readAllBytes(file);
        int nl = 0;
        while (nl < all.length && all[nl] != '\n') {
            nl++;
        }
        if (nl == all.length) {
            throw new Unusable("no header line (" + all.length + " bytes)");
        }
        Header h;
        try {
            h = mapper.readValue(all, 0, nl, Header.class);
        } catch (JsonProcessingException e) {
            throw new Unusable("unreadable header: " + e.getOriginalMessage());
        }
        if (!FORMAT.equals(h.format())) {
            throw new Unusable("not a fraud engine state (format '" + h.format() + "')");
        }
        if (h.version() != VERSION) {
            throw new Unusable("written in format version " + h.version() + ", this collector reads version " + VERSION);
        }
        int offset = nl + 1;
        if (h.length() != all.length - offset) {
            throw new Unusable("truncated or extended: the header says " + h.length() + " bytes, there are "
                    + (all.length - offset));
        }
        CRC32C crc = new CRC32C();
        crc.update(all, offset, all.length - offset);
        String actual = String.format("%08x", crc.getValue());
        if (!actual.equals(h.crc32c())) {
            throw new Unusable("checksum mismatch (CRC32C " + actual + ", header " + h.crc32c() + "): damaged");
        }
        try {
            return mapper.readValue(all, offset, all.length - offset, FraudSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new Unusable("not a snapshot this collector understands: " + e.getOriginalMessage());
        }
    }
}
