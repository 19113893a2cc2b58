package io.hepstack.collector.security;

import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.SecurityContext;

import java.security.Principal;
import java.util.Objects;

/**
 * The authenticated caller of an API request: name, role and data scope. Resources read it with
 * {@link #of(SecurityContext)} and pass {@link #scope()} to every query they run.
 */
public record User(String name, Role role, DataScope scope) implements Principal {

    /** A resource method called directly from Java (no HTTP request, no security context) runs as this user. */
    static final User LOCAL_ADMIN = new User("local", Role.ADMIN, DataScope.UNRESTRICTED);

    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(scope, "scope");
    }

    @Override
    public String getName() {
        return name;
    }

    /**
     * The request's user. An HTTP request without one is refused (401): the authentication filter
     * sets it for every {@code /api/**} path, so this only trips on a public path that reads data.
     */
    public static User of(SecurityContext context) {
        if (context == null) {
            return LOCAL_ADMIN;
        }
        if (context.getUserPrincipal() instanceof User user) {
            return user;
        }
        throw new NotAuthorizedException("login required", "Bearer realm=\"hepstack\"");
    }
}
