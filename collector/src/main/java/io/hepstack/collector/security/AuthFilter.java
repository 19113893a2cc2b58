package io.hepstack.collector.security;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication of every {@code /api/**} request, before any resource is even matched (so unknown
 * paths answer 401 too, and nothing about the API's shape leaks): an {@code Authorization: Bearer}
 * API token, or the {@code hepstack_session} cookie of a browser session. A browser request that
 * changes state (anything but GET/HEAD/OPTIONS) must also carry {@code X-CSRF-Token} equal to its
 * session's token (double submit: the cookie {@code hepstack_csrf} holds the same value, readable by
 * the page's script and by no other site). Public: the login itself and the OpenAPI document; the
 * UI shell outside {@code /api} is static code. Should a path trick ever slip past this filter,
 * {@link RoleCheck} still refuses every {@code /api} resource method to a request without a user.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {

    public static final String SESSION_COOKIE = "hepstack_session";
    public static final String CSRF_COOKIE = "hepstack_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Request property: how the user authenticated ({@code session} or {@code token}). */
    static final String VIA = "hepstack.auth.via";
    static final String SESSION = "hepstack.auth.session";

    static final Set<String> PUBLIC = Set.of("api/v1/auth/login", "api/v1/openapi.json");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Authenticator authenticator;
    private final Sessions sessions;

    public AuthFilter(Authenticator authenticator, Sessions sessions) {
        this.authenticator = authenticator;
        this.sessions = sessions;
    }

    /** True for the paths this filter guards ({@code path} without the leading slash). */
    static boolean guarded(String path) {
        int start = 0;
        while (start < path.length() && path.charAt(start) == '/') {
            start++;
        }
        String p = path.substring(start);
        return (p.equals("api") || p.startsWith("api/")) && !PUBLIC.contains(p);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!guarded(request.getUriInfo().getPath())) {
            return;
        }
        boolean secure = request.getSecurityContext().isSecure();
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            Optional<User> user = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? authenticator.token(authorization.substring(7).trim()) : Optional.empty();
            if (user.isEmpty()) {
                request.abortWith(unauthorized("invalid or expired API token"));
                return;
            }
            authenticated(request, user.get(), secure, "token");
            return;
        }
        Cookie cookie = request.getCookies().get(SESSION_COOKIE);
        Optional<Sessions.Session> session = sessions.find(cookie == null ? null : cookie.getValue());
        if (session.isEmpty()) {
            request.abortWith(unauthorized("login required"));
            return;
        }
        Sessions.Session s = session.get();
        User user = s.user();
        if (s.local()) { // the users file may have changed the role or scope, or removed the account
            Optional<User> now = authenticator.localUser(user.name());
            if (now.isEmpty()) {
                sessions.end(s.id());
                request.abortWith(unauthorized("login required"));
                return;
            }
            user = now.get();
        }
        if (!SAFE_METHODS.contains(request.getMethod()) && !sameToken(s.csrf(), request.getHeaderString(CSRF_HEADER))) {
            request.abortWith(ApiErrors.response(Response.Status.FORBIDDEN, "missing or wrong " + CSRF_HEADER + " header"));
            return;
        }
        request.setProperty(SESSION, s);
        authenticated(request, user, secure, "session");
    }

    private static void authenticated(ContainerRequestContext request, User user, boolean secure, String via) {
        request.setProperty(VIA, via);
        request.setSecurityContext(new UserSecurityContext(user, secure));
    }

    private static Response unauthorized(String message) {
        return ApiErrors.builder(401, message).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"hepstack\"").build();
    }

    private static boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** A security context for an authenticated user; roles include the lesser ones. */
    record UserSecurityContext(User user, boolean secure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return user;
        }

        @Override
        public boolean isUserInRole(String role) {
            try {
                return user.role().includes(Role.of(role));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "hepstack";
        }
    }
}
