package io.hepstack.collector.security;

import jakarta.ws.rs.core.SecurityContext;

import java.security.Principal;
import java.util.Objects;

/**
 * The authenticated caller of an API request: name, role and data scope. Resources read it with
 * {@link #of(SecurityContext)} and pass {@link #scope()} to every query they run.
 */
public record User(String name, Role role, DataScope scope) implements Principal {

    /** Until authentication is wired in, requests run as this user. */
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

    /** The request's user. */
    public static User of(SecurityContext context) {
        if (context != null && context.getUserPrincipal() instanceof User user) {
            return user;
        }
        return LOCAL_ADMIN;
    }
}
