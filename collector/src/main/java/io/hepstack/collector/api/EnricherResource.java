package io.hepstack.collector.api;

import io.hepstack.collector.security.Role;
import io.hepstack.enricher.Enricher;
import jakarta.annotation.security.RolesAllowed;
import io.hepstack.enricher.reload.LoadStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the enricher has loaded (file, version, rows, time, last error), a forced reload, and a lookup. */
@Path("/api/v1/enricher")
@RolesAllowed(Role.VIEWER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public final class EnricherResource {

    private final Enricher enricher;

    public EnricherResource(Enricher enricher) {
        this.enricher = enricher;
    }

    @GET
    @Path("/status")
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", enricher.status());
        m.put("notes", enricher.notes());
        return m;
    }

    @POST
    @Path("/reload")
    @RolesAllowed(Role.ADMIN_NAME)
    public List<LoadStatus> reload() {
        return enricher.reloadAll();
    }

    /** Try the enrichment of an address and/or a number: {@code ?ip=81.2.69.142&number=+442071838750}. */
    @GET
    @Path("/lookup")
    public Map<String, Object> lookup(@QueryParam("ip") String ip, @QueryParam("number") String number) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (ip != null) {
            m.put("ip", enricher.ip(ip));
        }
        if (number != null) {
            m.put("number", enricher.number(number));
        }
        return m;
    }
}
