package io.hepstack.collector.api.imports;

import io.hepstack.collector.api.ApiErrors;
import io.hepstack.collector.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.Map;

/**
 * {@code POST /api/v1/imports?name=x.pcap} with the raw .pcap/.pcapng bytes as the body: stored
 * to a temporary file (at most {@code api.importMaxSize}; a larger body is refused with 413 and
 * nothing is kept), then imported in the background ({@link PcapImports}) → 202 {@code {"id"}};
 * {@code GET /api/v1/imports/{id}}: its progress and summary.
 */
@Path("/api/v1/imports")
@Produces(MediaType.APPLICATION_JSON)
public final class ImportsResource {

    private static final byte[][] MAGICS = {
            {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1}, {(byte) 0xa1, (byte) 0xb2, (byte) 0xc3, (byte) 0xd4},
            {(byte) 0x4d, (byte) 0x3c, (byte) 0xb2, (byte) 0xa1}, {(byte) 0xa1, (byte) 0xb2, (byte) 0x3c, (byte) 0x4d},
            {0x0a, 0x0d, 0x0d, 0x0a}};

    private final PcapImports imports;
    private final long maxBytes;
    private final java.nio.file.Path dir;

    /** @param dir where uploads wait (null: the system's temp dir) */
    public ImportsResource(PcapImports imports, long maxBytes, java.nio.file.Path dir) {
        this.imports = imports;
        this.maxBytes = maxBytes;
        this.dir = dir;
    }

    @POST
    @RolesAllowed(Role.ANALYST_NAME)
    @Consumes({MediaType.APPLICATION_OCTET_STREAM, "application/vnd.tcpdump.pcap", "application/x-pcapng", MediaType.WILDCARD})
    public Response upload(@QueryParam("name") String name, @HeaderParam("Content-Length") Long length, InputStream body)
            throws IOException {
        if (length != null && length > maxBytes) {
            throw ApiErrors.tooLarge("the capture is " + length + " bytes; at most " + maxBytes + " are accepted");
        }
        String shown = name == null || name.isBlank() ? "upload.pcap" : name.replaceAll("[^A-Za-z0-9._ -]", "_");
        java.nio.file.Path file = dir == null ? Files.createTempFile("hepstack-import-", ".pcap") : Files.createTempFile(dir, "hepstack-import-", ".pcap");
        boolean keep = false;
        try {
            long n = 0;
            byte[] buf = new byte[65536];
            byte[] head = new byte[4];
            try (OutputStream out = Files.newOutputStream(file)) {
                int r;
                while ((r = body.read(buf)) > 0) {
                    if (n < 4) {
                        System.arraycopy(buf, 0, head, (int) n, (int) Math.min(r, 4 - n));
                    }
                    n += r;
                    if (n > maxBytes) {
                        throw ApiErrors.tooLarge("the capture is larger than " + maxBytes + " bytes, the most accepted");
                    }
                    out.write(buf, 0, r);
                }
            }
            if (!isCapture(head, n)) {
                throw ApiErrors.badRequest("the body is not a pcap or pcapng capture");
            }
            ImportJob job = imports.submit(shown, file);
            keep = true;
            return Response.accepted(Map.of("id", job.id())).build();
        } finally {
            if (!keep) {
                Files.deleteIfExists(file);
            }
        }
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Role.ANALYST_NAME)
    public Map<String, Object> progress(@PathParam("id") String id) {
        ImportJob job = imports.job(id);
        if (job == null) {
            throw ApiErrors.notFound("no import " + id);
        }
        return job.toJson();
    }

    static boolean isCapture(byte[] head, long n) {
        if (n < 24) {
            return false;
        }
        for (byte[] m : MAGICS) {
            if (java.util.Arrays.equals(m, head)) {
                return true;
            }
        }
        return false;
    }
}
