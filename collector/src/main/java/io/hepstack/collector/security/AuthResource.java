package io.hepstack.collector.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Browser login (UI-CONTRACT.md, Auth): {@code POST /api/v1/auth/login} with
 * {@code {"username","password"}} → {@code {"user","role","csrf"}} and the cookies
 * {@code hepstack_session} (HttpOnly, SameSite=Strict) and {@code hepstack_csrf} (readable by the
 * page, sent back as {@code X-CSRF-Token}); 401 on bad credentials, 429 (with Retry-After) while
 * rate-limited or locked. {@code POST /logout} ends the session, {@code GET /me} says who is logged in.
 */
@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthResource {

    /** A login body is two short strings; anything longer is refused unread. */
    static final int MAX_BODY = 4096;

    private final Authenticator authenticator;
    private final Sessions sessions;
    private final AuditLog audit;
    private final SecurityConfig.SecureCookies secureCookies;
    private final int sessionMaxAgeSeconds;
    private final ObjectMapper mapper;

    public AuthResource(Authenticator authenticator, Sessions sessions, AuditLog audit, SecurityConfig config,
                        ObjectMapper mapper) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.audit = audit;
        this.secureCookies = config.secureCookies;
        this.sessionMaxAgeSeconds = (int) config.sessionMaxAge.toSeconds();
        this.mapper = mapper;
    }

    @POST
    @Path("/login")
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    public Response login(InputStream body, @Context HttpServletRequest http, @Context SecurityContext sc) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        String address = http.getRemoteAddr();
        String username = null;
        String password = null;
        if (bytes.length <= MAX_BODY) {
            try {
                JsonNode json = mapper.readTree(bytes);
                username = json == null ? null : json.path("username").textValue();
                password = json == null ? null : json.path("password").textValue();
            } catch (IOException e) {
                // not JSON: answered below
            }
        }
        if (username == null || username.isBlank() || password == null || username.length() > 256) {
            return ApiErrors.response(Response.Status.BAD_REQUEST, "expected {\"username\": \"...\", \"password\": \"...\"}");
        }
        Authenticator.Outcome outcome = authenticator.login(username, password, address);
        if (outcome instanceof Authenticator.Limited limited) {
            long seconds = Math.max(1, (limited.retryAfter().toMillis() + 999) / 1000);
            auditLogin(username, null, address, 429, "failure", "rate-limited");
            return ApiErrors.builder(429, "too many failed logins; try again in " + seconds + " s")
                    .header("Retry-After", seconds).build();
        }
        if (!(outcome instanceof Authenticator.Success success)) {
            auditLogin(username, null, address, 401, "failure", null);
            return ApiErrors.response(Response.Status.UNAUTHORIZED, "wrong user name or password");
        }
        User user = success.user();
        Sessions.Session session = sessions.create(user, success.local());
        auditLogin(user.name(), user.role(), address, 200, "success", null);
        boolean secure = secureCookies == SecurityConfig.SecureCookies.always
                || (secureCookies == SecurityConfig.SecureCookies.auto && sc.isSecure());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", user.name());
        out.put("role", user.role().id());
        out.put("csrf", session.csrf());
        return Response.ok(out)
                .cookie(cookie(AuthFilter.SESSION_COOKIE, session.id(), true, secure, sessionMaxAgeSeconds),
                        cookie(AuthFilter.CSRF_COOKIE, session.csrf(), false, secure, sessionMaxAgeSeconds))
                .build();
    }

    @POST
    @Path("/logout")
    @RolesAllowed(Role.VIEWER_NAME)
    @Consumes(MediaType.WILDCARD)
    public Response logout(@Context ContainerRequestContext request, @Context SecurityContext sc) {
        if (request.getProperty(AuthFilter.SESSION) instanceof Sessions.Session s) {
            sessions.end(s.id());
        }
        return Response.noContent()
                .cookie(cookie(AuthFilter.SESSION_COOKIE, "", true, sc.isSecure(), 0),
                        cookie(AuthFilter.CSRF_COOKIE, "", false, sc.isSecure(), 0))
                .build();
    }

    @GET
    @Path("/me")
    @RolesAllowed(Role.VIEWER_NAME)
    public Map<String, Object> me(@Context SecurityContext sc) {
        User user = User.of(sc);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", user.name());
        out.put("role", user.role().id());
        out.put("scope", user.scope());
        return out;
    }

    private void auditLogin(String user, Role role, String address, int status, String outcome, String target) {
        audit.record(new AuditLog.Entry("login", outcome, user, role, address, "POST", "/api/v1/auth/login", null,
                status, target, null));
    }

    private static NewCookie cookie(String name, String value, boolean httpOnly, boolean secure, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(httpOnly).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
