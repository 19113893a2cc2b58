package io.hepstack.collector.api;

import io.hepstack.collector.fraud.Alert;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.UserFraudStats;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.security.Role;
import io.hepstack.collector.security.User;
import io.hepstack.enricher.reload.LoadStatus;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ForbiddenException;
import io.hepstack.enricher.reload.ReloadableFile;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live fraud counters per user (like OpenSIPS show_fraud_stats), recent alerts, rules reload. The
 * counters and thresholds tell a fraudster how to stay just under them: analysts only, and not
 * for a user with a data scope (the engine's memory holds every scope's users; it cannot be filtered).
 */
@Path("/api/v1/fraud")
@RolesAllowed(Role.ANALYST_NAME)
@Produces(MediaType.APPLICATION_JSON)
public final class FraudResource {

    private final FraudEngine engine;
    private final ReloadableFile<FraudConfig> rules;

    /** @param rules the rules file, or null when running on built-in defaults */
    public FraudResource(FraudEngine engine, ReloadableFile<FraudConfig> rules) {
        this.engine = engine;
        this.rules = rules;
    }

    @GET
    @Path("/users/{user}")
    public UserFraudStats user(@PathParam("user") String user, @Context SecurityContext sc) {
        unscoped(sc);
        UserFraudStats s = engine.statsFor(user);
        if (s == null) {
            throw new NotFoundException("no fraud state for user " + user);
        }
        return s;
    }

    @GET
    @Path("/alerts")
    public List<Map<String, Object>> alerts(@QueryParam("limit") @DefaultValue("100") int limit,
                                            @Context SecurityContext sc) {
        unscoped(sc);
        return engine.recentAlerts(Math.max(1, Math.min(limit, 10_000))).stream().map(Alert::toJsonMap).toList();
    }

    @GET
    @Path("/rules")
    public Map<String, Object> rulesStatus(@Context SecurityContext sc) {
        unscoped(sc);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metrics", engine.metrics());
        m.put("rules", rules == null ? "built-in defaults" : rules.status());
        return m;
    }

    @POST
    @Path("/reload")
    @RolesAllowed(Role.ADMIN_NAME)
    public LoadStatus reload() {
        if (rules == null) {
            throw new NotFoundException("no rules file configured (fraud.rules)");
        }
        rules.reload();
        return rules.status();
    }

    private static void unscoped(SecurityContext sc) {
        if (!User.of(sc).scope().unrestricted()) {
            throw new ForbiddenException("live fraud state is not available to a user with a data scope");
        }
    }
}
