package io.hepstack.collector.testing;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.parse.ParseStage;
import io.hepstack.collector.parse.Protocols;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.StageContext;

import java.util.List;

/** The parse stage as the collector builds it (every standard protocol, raw SIP kept), for tests. */
public final class Parsing {

    private final ParseStage stage;

    public Parsing() {
        this(new MetricRegistry());
    }

    public Parsing(MetricRegistry metrics) {
        stage = new ParseStage(new StageContext("parse", metrics), Protocols.standard(new ObjectMapper(), true));
    }

    public List<CapturedMessage> parse(List<CapturedMessage> messages) {
        stage.process(new Batch(messages));
        return messages;
    }

    public CapturedMessage parse(CapturedMessage m) {
        parse(List.of(m));
        return m;
    }
}
