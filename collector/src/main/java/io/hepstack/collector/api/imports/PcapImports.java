package io.hepstack.collector.api.imports;

import io.hepstack.collector.hep.HepDecodeException;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.ingest.CaptureHep;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Imports uploaded captures into the running collector, one at a time on a background thread, as
 * the {@code replay} command would send them ({@link CaptureHep}: HEP captures as they are, raw SIP
 * wrapped in HEP3 with capture id {@value #CAPTURE_ID} and node {@value #NODE}), but straight into the
 * pipeline the listeners feed (transport {@code file}), waiting for room when its queue is full so
 * nothing accepted is dropped. The uploaded file is deleted once imported.
 */
public final class PcapImports implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PcapImports.class);
    static final long CAPTURE_ID = 2999;
    static final String NODE = "import";
    static final int HEP_PORT = 9060;

    private final Pipeline pipeline;
    private final int kept;
    private final Map<String, ImportJob> jobs = new LinkedHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pcap-import");
        t.setDaemon(true);
        return t;
    });

    /** @param kept how many imports are remembered (the oldest finished ones are forgotten first) */
    public PcapImports(Pipeline pipeline, int kept) {
        this.pipeline = pipeline;
        this.kept = kept;
    }

    /** Queues the capture in {@code file} (which this then owns and deletes). */
    public ImportJob submit(String name, Path file) throws IOException {
        ImportJob job = new ImportJob(UUID.randomUUID().toString(), name, Files.size(file));
        synchronized (jobs) {
            jobs.put(job.id(), job);
            forgetOld();
        }
        worker.execute(() -> run(job, file));
        return job;
    }

    public ImportJob job(String id) {
        synchronized (jobs) {
            return jobs.get(id);
        }
    }

    private void forgetOld() {
        Iterator<ImportJob> it = jobs.values().iterator();
        while (jobs.size() > kept && it.hasNext()) {
            ImportJob j = it.next();
            if (j.state() == ImportJob.State.DONE || j.state() == ImportJob.State.FAILED) {
                it.remove();
            }
        }
    }

    private void run(ImportJob job, Path file) {
        try {
            Map<String, Long> skipped = new TreeMap<>();
            List<byte[]> packets = CaptureHep.hepPackets(file, HEP_PORT, CAPTURE_ID, NODE, null, skipped);
            skipped.forEach(job::skip);
            job.running(packets.size());
            HepDecoder decoder = new HepDecoder();
            SipParser sip = new SipParser();
            Set<String> calls = new HashSet<>();
            long handed = 0;
            long messages = 0;
            for (byte[] b : packets) {
                handed++;
                HepPacket p;
                try {
                    p = decoder.decode(b, 0, b.length);
                } catch (HepDecodeException e) {
                    job.skip("hep_" + e.reason().name().toLowerCase(java.util.Locale.ROOT), 1);
                    job.handed(handed, messages, calls.size());
                    continue;
                }
                if (p.protoType == HepPacket.PROTO_SIP && p.payload != null && calls.size() < 1_000_000) {
                    try {
                        SipMessage m = sip.parse(p.payload);
                        if (m.callId() != null) {
                            calls.add(m.callId());
                        }
                    } catch (RuntimeException | io.hepstack.collector.protocol.sip.SipParseException e) {
                        // the pipeline counts it unparsed
                    }
                }
                CapturedMessage m = new CapturedMessage(p, Transport.FILE, null);
                while (!pipeline.offer(m, Duration.ofSeconds(1))) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException("import stopped");
                    }
                }
                messages++;
                job.handed(handed, messages, calls.size());
            }
            job.done();
            LOG.info("import {} ({}): {} messages, {} calls", job.id(), job.toJson().get("name"), messages, calls.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.failed("the collector stopped during the import");
        } catch (Exception | OutOfMemoryError e) {
            LOG.warn("import {} failed: {}", job.id(), e.toString());
            job.failed(e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", file, e.toString());
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
