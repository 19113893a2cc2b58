package io.hepstack.tools.alerting;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders the only mustache placeholders hepstack puts into a watch's search body:
 * {@code {{ctx.metadata.KEY}}} (KEY may be dotted), replaced by the metadata value, JSON-escaped as
 * Watcher's mustache does for a JSON body. Watcher renders the whole body as a mustache template
 * before it searches; this does the same for the cases we use, so the body can be run against a
 * cluster without Watcher. Anything else in braces is refused, as is an unknown key.
 */
public final class MetadataTemplate {

    private static final String OPEN = "{{";
    private static final String CLOSE = "}}";
    private static final String PREFIX = "ctx.metadata.";

    private MetadataTemplate() {
    }

    public static String render(String watch, String template, JsonNode metadata) {
        StringBuilder out = new StringBuilder(template.length());
        int from = 0;
        int open;
        while ((open = template.indexOf(OPEN, from)) >= 0) {
            int close = template.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                throw new InvalidWatchException(watch, "unclosed '{{' at offset " + open);
            }
            String name = template.substring(open + OPEN.length(), close).trim();
            if (!name.startsWith(PREFIX)) {
                throw new InvalidWatchException(watch, "only {{ctx.metadata.*}} placeholders can be rendered here, found {{" + name + "}}");
            }
            JsonNode value = metadata;
            for (String part : name.substring(PREFIX.length()).split("\\.", -1)) {
                value = value.path(part);
            }
            if (!value.isValueNode() || value.isNull()) {
                throw new InvalidWatchException(watch, "{{" + name + "}} is not a value in the watch's metadata");
            }
            out.append(template, from, open);
            out.append(JsonStringEncoder.getInstance().quoteAsString(value.asText()));
            from = close + CLOSE.length();
        }
        return out.append(template, from, template.length()).toString();
    }
}
