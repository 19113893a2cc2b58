package io.hepstack.collector.security;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Guards the admin port's tasks ({@code /tasks/*}: reload, log-level, gc ...): only an admin, by
 * HTTP Basic (an account of the users file or LDAP, under the same login limits as the API) or by
 * an admin API token ({@code Authorization: Bearer}). So nobody, not even on the loopback, can raise
 * {@code org.apache.http.wire} to DEBUG to make credentials appear in the log, or force reloads.
 * Every task run is audited. Health checks and metrics stay open on the (loopback-bound) admin port.
 */
public final class AdminTaskGuard implements Filter {

    private final Authenticator authenticator;
    private final AuditLog audit;

    public AdminTaskGuard(Authenticator authenticator, AuditLog audit) {
        this.authenticator = authenticator;
        this.audit = audit;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String address = request.getRemoteAddr();
        String authorization = request.getHeader("Authorization");
        Optional<User> user = Optional.empty();
        String via = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            user = authenticator.token(authorization.substring(7).trim());
            via = "token";
        } else if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            via = "basic";
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                Authenticator.Outcome o = authenticator.login(decoded.substring(0, colon), decoded.substring(colon + 1), address);
                if (o instanceof Authenticator.Limited limited) {
                    response.setHeader("Retry-After", Long.toString(Math.max(1, limited.retryAfter().toSeconds())));
                    response.sendError(429, "too many failed logins");
                    return;
                }
                if (o instanceof Authenticator.Success s) {
                    user = Optional.of(s.user());
                }
            }
        }
        String task = request.getRequestURI();
        if (user.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"hepstack admin\"");
            response.sendError(401, "admin credentials required (Basic or Bearer)");
            audit.record(new AuditLog.Entry("admin.task", "denied", null, null, address, request.getMethod(), task,
                    null, 401, null, via));
            return;
        }
        if (!user.get().role().includes(Role.ADMIN)) {
            response.sendError(403, "needs role admin");
            audit.record(new AuditLog.Entry("admin.task", "denied", user.get().name(), user.get().role(), address,
                    request.getMethod(), task, null, 403, null, via));
            return;
        }
        chain.doFilter(req, res);
        audit.record(new AuditLog.Entry(task.endsWith("/reload") ? "reload" : "admin.task", "success", user.get().name(),
                user.get().role(), address, request.getMethod(), task, AuditLog.cleanQuery(request.getQueryString()),
                response.getStatus(), task.substring(task.lastIndexOf('/') + 1), via));
    }
}
