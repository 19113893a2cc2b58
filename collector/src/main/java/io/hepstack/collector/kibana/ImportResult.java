package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What Kibana's saved-objects import answered: {@code success}, {@code successCount} and, per
 * object that could not be imported, its error (conflict, missing references, unsupported type...).
 */
public record ImportResult(boolean success, int successCount, List<ObjectError> errors, List<String> warnings) {

    /** One object Kibana did not import, and why. */
    public record ObjectError(String type, String id, String title, String errorType, String detail) {
        @Override
        public String toString() {
            return type + " " + id + (title == null ? "" : " (" + title + ")") + ": " + errorType
                    + (detail == null || detail.isEmpty() ? "" : " " + detail);
        }
    }

    public ImportResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** Reads the JSON body of {@code POST /api/saved_objects/_import}. */
    static ImportResult fromJson(JsonNode body) {
        List<ObjectError> errors = new ArrayList<>();
        for (JsonNode e : body.path("errors")) {
            JsonNode error = e.path("error");
            String detail;
            if (error.has("references")) {
                List<String> refs = new ArrayList<>();
                for (JsonNode r : error.path("references")) {
                    refs.add(r.path("type").asText() + ":" + r.path("id").asText());
                }
                detail = "missing " + refs;
            } else {
                detail = error.path("message").asText(error.path("reason").asText(""));
            }
            String title = e.path("title").asText(e.path("meta").path("title").asText(null));
            errors.add(new ObjectError(e.path("type").asText(), e.path("id").asText(), title,
                    error.path("type").asText("unknown"), detail));
        }
        List<String> warnings = new ArrayList<>();
        for (JsonNode w : body.path("warnings")) {
            warnings.add(w.path("message").asText(w.toString()));
        }
        return new ImportResult(body.path("success").asBoolean(false), body.path("successCount").asInt(0), errors, warnings);
    }

    /** Returns this result, or throws with every object error when Kibana did not import all. */
    public ImportResult requireSuccess() throws KibanaException {
        if (!success) {
            throw new KibanaException("Kibana imported " + successCount + " saved objects but refused "
                    + errors.size() + ": " + errors, 200);
        }
        return this;
    }
}
