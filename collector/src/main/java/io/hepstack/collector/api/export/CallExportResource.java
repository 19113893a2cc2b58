package io.hepstack.collector.api.export;

import io.hepstack.collector.api.ApiErrors;
import io.hepstack.collector.api.CallLoader;
import io.hepstack.collector.api.SearchGuard;
import io.hepstack.collector.api.callview.CallView;
import io.hepstack.collector.api.callview.LadderLayout;
import io.hepstack.collector.security.Role;
import io.hepstack.collector.security.User;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A call's exports, downloaded as files named after the Call-ID:
 * {@code GET /api/v1/calls/{callId}/export.pcap} (SIP and HEP-carried RTCP, {@link PcapExport}),
 * {@code export.txt} ({@link TextExport}), {@code ladder.svg} and {@code ladder.png}
 * ({@link LadderDrawing}; {@code ?group=ip|node}). The call is read before anything is sent, so
 * a failed or timed-out read is an error answer, never a cut file.
 */
@Path("/api/v1/calls/{callId}/{file: export\\.pcap|export\\.txt|ladder\\.svg|ladder\\.png}")
public final class CallExportResource {

    private final CallLoader loader;

    public CallExportResource(SearchGuard es) {
        this.loader = new CallLoader(es);
    }

    @GET
    @RolesAllowed(Role.ANALYST_NAME)
    @Produces({"application/vnd.tcpdump.pcap", "text/plain", "image/svg+xml", "image/png", "application/json"})
    public Response export(@PathParam("callId") String callId, @PathParam("file") String file,
                           @QueryParam("group") String group, @Context SecurityContext sc) throws IOException {
        LadderLayout.Grouping grouping;
        try {
            grouping = LadderLayout.Grouping.of(group);
        } catch (IllegalArgumentException e) {
            throw ApiErrors.badRequest(e.getMessage());
        }
        CallLoader.CallData call = loader.load(callId, io.hepstack.collector.api.callview.CallViewResource.MAX_MESSAGES,
                User.of(sc).scope());
        String name = fileName(callId);
        return switch (file) {
            case "export.pcap" -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                PcapExport pcap = new PcapExport(bytes);
                for (CallLoader.Message m : call.messages()) {
                    pcap.add(m.source());
                }
                yield attachment(bytes.toByteArray(), "application/vnd.tcpdump.pcap", name + ".pcap")
                        .header("X-Hepstack-Frames", pcap.frames())
                        .header("X-Hepstack-Skipped", skippedText(pcap.skipped())).build();
            }
            case "export.txt" -> {
                LadderLayout.Ladder ladder = CallView.ladder(call, grouping);
                StreamingOutput text = out -> {
                    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    TextExport.write(w, call, ladder);
                    w.flush();
                };
                yield Response.ok(text, "text/plain; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"" + name + ".txt\"").build();
            }
            case "ladder.svg" -> {
                SvgCanvas svg = new SvgCanvas();
                LadderDrawing.draw(CallView.ladder(call, grouping), call.callIds(), svg);
                yield attachment(svg.svg().getBytes(StandardCharsets.UTF_8), "image/svg+xml", name + ".svg").build();
            }
            default -> {
                ImageCanvas png = new ImageCanvas();
                try {
                    LadderDrawing.draw(CallView.ladder(call, grouping), call.callIds(), png);
                } catch (IllegalArgumentException tooLarge) {
                    throw ApiErrors.tooLarge(tooLarge.getMessage());
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                png.writePng(bytes);
                yield attachment(bytes.toByteArray(), "image/png", name + ".png").build();
            }
        };
    }

    static Response.ResponseBuilder attachment(byte[] body, String type, String fileName) {
        return Response.ok(body, type).header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    }

    /** {@code reason=n, ...}, or {@code none}. */
    static String skippedText(java.util.Map<String, Long> skipped) {
        if (skipped.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        skipped.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return b.toString();
    }

    /** The Call-ID as a safe file name (no quotes, slashes or control characters). */
    static String fileName(String callId) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < callId.length() && b.length() < 120; i++) {
            char c = callId.charAt(i);
            b.append(Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '-' || c == '_' || c == '@' ? c : '_');
        }
        return b.isEmpty() ? "call" : b.toString();
    }
}
