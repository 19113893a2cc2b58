package io.hepstack.collector.es;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hepstack.collector.index.BulkIndexer;
import io.hepstack.collector.index.DocumentSink;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The collector's sink is the service, which hands everything to its bulk indexer. A sink method the
 * service does not forward falls back to {@link DocumentSink}'s default: for lent documents that is a
 * new array per document (the indexer's pooled copy never ran in the collector until this was found,
 * a fifth of the pipeline worker's allocation end to end).
 */
class ElasticsearchServiceSinkTest {

    @Test
    void theServiceForwardsEverySinkMethodTheIndexerImplements() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Method m : DocumentSink.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Method indexer = BulkIndexer.class.getMethod(m.getName(), m.getParameterTypes());
            Method service = ElasticsearchService.class.getMethod(m.getName(), m.getParameterTypes());
            if (indexer.getDeclaringClass() == BulkIndexer.class && service.getDeclaringClass() != ElasticsearchService.class) {
                missing.add(m.toString());
            }
        }
        assertTrue(missing.isEmpty(), "not forwarded to the bulk indexer: " + missing);
    }
}
