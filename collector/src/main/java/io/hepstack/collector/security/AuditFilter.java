package io.hepstack.collector.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Audits every authenticated {@code /api} request once it is answered: who, from where, what
 * (action and target derived from the path: a search with its query string, the call opened, the
 * export, the import, the reload), and the status. Polling reads that say nothing about what a user
 * looked at (who am I, the live overview, an import's progress, the OpenAPI document) are skipped,
 * as are requests refused before authentication (401: no one to name). Logins are audited by
 * {@link AuthResource}, which knows the user name that was tried.
 */
public final class AuditFilter implements ContainerResponseFilter {

    /** What a request did: action and its target (may be null). */
    record Action(String name, String target) {
    }

    private static final Pattern CALL = Pattern.compile("api/v1/calls/([^/]+)(/view)?");
    private static final Pattern CALL_EXPORT = Pattern.compile("api/v1/calls/([^/]+)/(export\\.\\w+|ladder\\.\\w+)");
    private static final Pattern MESSAGE = Pattern.compile("api/v1/messages/([^/]+)/([^/]+)");

    private final AuditLog log;

    @Context
    private HttpServletRequest servletRequest;

    public AuditFilter(AuditLog log) {
        this.log = log;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!(request.getSecurityContext().getUserPrincipal() instanceof User user) || !AuthFilter.guarded(path)) {
            return;
        }
        Action action = classify(request.getMethod(), path.startsWith("/") ? path.substring(1) : path,
                request.getUriInfo().getQueryParameters().getFirst("name"));
        if (action == null) {
            return;
        }
        int status = response.getStatus();
        String outcome = status < 400 ? "success" : status == 401 || status == 403 ? "denied" : "failure";
        log.record(new AuditLog.Entry(action.name(), outcome, user.name(), user.role(),
                servletRequest == null ? null : servletRequest.getRemoteAddr(), request.getMethod(), "/" + stripSlash(path),
                AuditLog.cleanQuery(request.getUriInfo().getRequestUri().getRawQuery()), status, action.target(),
                (String) request.getProperty(AuthFilter.VIA)));
    }

    /** The audited action of a request, or null for the polling reads that are not audited. */
    static Action classify(String method, String path, String nameParam) {
        if (path.equals("api/v1/auth/me") || path.equals("api/v1/auth/login") || path.startsWith("api/v1/overview")
                || path.equals("api/v1/openapi.json") || ("GET".equals(method) && path.startsWith("api/v1/imports/"))) {
            return null;
        }
        if (path.equals("api/v1/auth/logout")) {
            return new Action("logout", null);
        }
        Matcher m = CALL_EXPORT.matcher(path);
        if (m.matches()) {
            return new Action("export", decode(m.group(1)) + " " + m.group(2));
        }
        if (path.contains("/export")) {
            return new Action("export", null);
        }
        if (path.contains("reload")) {
            return new Action("reload", path.substring(path.lastIndexOf("api/v1/") + 7));
        }
        if (path.startsWith("api/v1/imports") && "POST".equals(method)) {
            return new Action("import", nameParam);
        }
        if (path.startsWith("api/v1/search") || path.equals("api/v1/calls")) {
            return new Action("search", null);
        }
        m = CALL.matcher(path);
        if (m.matches()) {
            return new Action("call.open", decode(m.group(1)));
        }
        m = MESSAGE.matcher(path);
        if (m.matches()) {
            return new Action("message.open", decode(m.group(1)) + "/" + decode(m.group(2)));
        }
        if (path.startsWith("api/v1/audit")) {
            return new Action("audit.read", null);
        }
        if (path.startsWith("api/v1/fraud/users/")) {
            return new Action("fraud.counters", decode(path.substring("api/v1/fraud/users/".length())));
        }
        return new Action("api", null);
    }

    private static String stripSlash(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /** The path is decoded already (UriInfo.getPath()). */
    private static String decode(String s) {
        return s;
    }
}
