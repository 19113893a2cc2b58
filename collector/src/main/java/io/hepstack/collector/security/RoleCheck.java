package io.hepstack.collector.security;

import jakarta.annotation.Priority;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Authorisation by role: a resource method needs the least role named by its
 * {@code @RolesAllowed} (or its class's); {@code @PermitAll} is public, {@code @DenyAll} closed.
 * Roles include the lesser ones (an admin may do what a viewer may). Deny by default: an
 * {@code /api} method with no annotation at all needs {@code admin}, and start-up logs it, so a
 * new endpoint cannot be forgotten into the open.
 */
public final class RoleCheck implements DynamicFeature {

    private static final Logger LOG = LoggerFactory.getLogger(RoleCheck.class);

    @Override
    public void configure(ResourceInfo info, FeatureContext context) {
        Method m = info.getResourceMethod();
        Class<?> c = info.getResourceClass();
        Optional<Role> needed;
        if (m.isAnnotationPresent(DenyAll.class)) {
            context.register(new Check(null, true));
            return;
        } else if (m.isAnnotationPresent(RolesAllowed.class)) {
            needed = Optional.of(least(m.getAnnotation(RolesAllowed.class)));
        } else if (m.isAnnotationPresent(PermitAll.class)) {
            return;
        } else if (c.isAnnotationPresent(DenyAll.class)) {
            context.register(new Check(null, true));
            return;
        } else if (c.isAnnotationPresent(RolesAllowed.class)) {
            needed = Optional.of(least(c.getAnnotation(RolesAllowed.class)));
        } else if (c.isAnnotationPresent(PermitAll.class)) {
            return;
        } else {
            needed = Optional.empty();
        }
        if (needed.isPresent()) {
            context.register(new Check(needed.get(), false));
        } else if (underApi(c)) {
            LOG.warn("{}.{} has no @RolesAllowed/@PermitAll: only admins may call it", c.getSimpleName(), m.getName());
            context.register(new Check(Role.ADMIN, false));
        }
    }

    private static boolean underApi(Class<?> c) {
        Path p = c.getAnnotation(Path.class);
        return p != null && AuthFilter.guarded(p.value().startsWith("/") ? p.value() : "/" + p.value());
    }

    static Role least(RolesAllowed allowed) {
        return Arrays.stream(allowed.value()).map(Role::of).min(Enum::compareTo)
                .orElseThrow(() -> new IllegalArgumentException("@RolesAllowed names no role"));
    }

    @Priority(Priorities.AUTHORIZATION)
    private static final class Check implements ContainerRequestFilter {
        private final Role needed;
        private final boolean denyAll;

        Check(Role needed, boolean denyAll) {
            this.needed = needed;
            this.denyAll = denyAll;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            if (!(request.getSecurityContext().getUserPrincipal() instanceof User user)) {
                request.abortWith(ApiErrors.builder(401, "login required")
                        .header("WWW-Authenticate", "Bearer realm=\"hepstack\"").build());
                return;
            }
            if (denyAll || !user.role().includes(needed)) {
                request.abortWith(ApiErrors.response(Response.Status.FORBIDDEN,
                        denyAll ? "not allowed" : "needs role " + needed.id() + " (you are " + user.role().id() + ")"));
            }
        }
    }
}
