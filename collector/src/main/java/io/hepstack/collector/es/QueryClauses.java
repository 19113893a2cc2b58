package io.hepstack.collector.es;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.List;

/** Query DSL clauses that the API's searches and the data scopes build alike. */
public final class QueryClauses {

    private QueryClauses() {
    }

    /**
     * Matches a document when any of {@code fields} holds any of {@code values}: a {@code terms}
     * clause per field under a {@code bool} that needs one of them; nothing when there is no field.
     * Integers and longs stay numbers, everything else is written as its text.
     */
    public static ObjectNode anyTerm(List<String> fields, Collection<?> values) {
        ObjectNode clause = JsonNodeFactory.instance.objectNode();
        if (fields.isEmpty()) {
            clause.putObject("match_none");
            return clause;
        }
        ObjectNode bool = clause.putObject("bool");
        ArrayNode should = bool.putArray("should");
        for (String f : fields) {
            addAll(should.addObject().putObject("terms").putArray(f), values);
        }
        bool.put("minimum_should_match", 1);
        return clause;
    }

    /** Adds each value to {@code array}: integers and longs as numbers, the rest as text. */
    public static void addAll(ArrayNode array, Collection<?> values) {
        for (Object x : values) {
            if (x instanceof Integer i) {
                array.add(i);
            } else if (x instanceof Long l) {
                array.add(l);
            } else {
                array.add(String.valueOf(x));
            }
        }
    }
}
