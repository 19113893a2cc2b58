package io.hepstack.collector.health;

import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.es.ElasticsearchService;

/** Healthy when the cluster answers green or yellow and the templates are installed. */
public final class ElasticsearchHealthCheck extends HealthCheck {

    private final ElasticsearchService es;

    public ElasticsearchHealthCheck(ElasticsearchService es) {
        this.es = es;
    }

    @Override
    protected Result check() throws Exception {
        JsonNode health = es.clusterHealth();
        String status = health.path("status").asText();
        long spooled = es.indexer().spool().bytes();
        if (!es.templatesInstalled()) {
            return Result.unhealthy("index templates not installed: " + es.lastTemplateError());
        }
        String spoolProblem = es.indexer().spool().problem();
        if (spoolProblem != null) {
            return Result.unhealthy("documents are being lost: the spool cannot keep them (" + spoolProblem + ")");
        }
        if ("red".equals(status)) {
            return Result.unhealthy("cluster status red");
        }
        return Result.builder().healthy().withMessage("cluster " + status)
                .withDetail("spool_bytes", spooled).withDetail("spool_quarantined", es.indexer().spool().quarantined()).withDetail("in_flight", es.indexer().inFlight()).build();
    }
}
