package io.hepstack.collector.ui;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web UI: a single-page application of plain ES modules, HTML and CSS under the classpath
 * folder {@code ui/}, served by the collector itself on the application port (no separate server,
 * nothing fetched from the net at run time).
 *
 * <p>The page routes ({@code /}, {@code /search}, {@code /calls/{callId}}, {@code /import},
 * {@code /login}) all answer {@code index.html}, so a shared link opens the same view; the script
 * reads the route from the URL. Assets are under {@code /ui/}. The shell is public static code:
 * every piece of data comes from {@code /api/v1}, which authenticates the user; the strict
 * {@link #CONTENT_SECURITY_POLICY} forbids inline script, inline style and any other origin, so an
 * injected string in a SIP message can never run as code.
 */
@Path("/")
@PermitAll
public final class UiResource {

    /** Only our own origin; no inline script or style; no plugins, frames or base-URI tricks. */
    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "connect-src 'self'",
            "font-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    /** Asset names: folders and files of letters, digits, dash, underscore and one extension dot. */
    private static final Pattern ASSET = Pattern.compile("(?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_-]+\\.[a-z0-9]+");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    @GET
    public Response home() {
        return page();
    }

    @GET
    @Path("search")
    public Response search() {
        return page();
    }

    @GET
    @Path("import")
    public Response importPage() {
        return page();
    }

    @GET
    @Path("login")
    public Response login() {
        return page();
    }

    /** A call's deep link; the Call-ID is URL-encoded and read by the script. */
    @GET
    @Path("calls/{callId: .+}")
    public Response call(@PathParam("callId") String callId) {
        return page();
    }

    @GET
    @Path("ui/{asset: .+}")
    public Response asset(@PathParam("asset") String asset) {
        if (!ASSET.matcher(asset).matches()) {
            throw new NotFoundException();
        }
        String ext = asset.substring(asset.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        byte[] body = type == null ? null : load(asset);
        if (body == null) {
            throw new NotFoundException();
        }
        // no hashed file names (no build step): the browser revalidates, the ETag makes that cheap
        return secured(Response.ok(body, type))
                .tag(Integer.toHexString(java.util.Arrays.hashCode(body)))
                .header("Cache-Control", "no-cache")
                .build();
    }

    private Response page() {
        return secured(Response.ok(load("index.html"), TYPES.get("html")))
                .header("Cache-Control", "no-store")
                .build();
    }

    private static Response.ResponseBuilder secured(Response.ResponseBuilder r) {
        return r.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY");
    }

    /**
     * The bytes of {@code ui/<name>} on the classpath, or null. Kept once read when they come from
     * a jar (they cannot change); read afresh from a folder (a developer's target/classes).
     */
    private byte[] load(String name) {
        byte[] cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        URL url = UiResource.class.getClassLoader().getResource("ui/" + name);
        if (url == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            byte[] bytes = in.readAllBytes();
            if ("jar".equals(url.getProtocol())) {
                cache.put(name, bytes);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
