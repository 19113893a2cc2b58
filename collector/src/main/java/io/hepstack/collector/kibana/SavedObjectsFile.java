package io.hepstack.collector.kibana;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An ndjson file of Kibana saved objects, as {@code POST /api/saved_objects/_import} takes it.
 * Kibana insists on the {@code .ndjson} extension of the uploaded file name.
 */
public record SavedObjectsFile(String fileName, byte[] content) {

    /** Where the kibana module packages hepstack's dashboards on the classpath. */
    public static final String PACKAGED_RESOURCE = "kibana/hepstack.ndjson";

    public SavedObjectsFile {
        if (fileName == null || !fileName.endsWith(".ndjson")) {
            throw new IllegalArgumentException("Kibana imports only .ndjson files: " + fileName);
        }
        if (content == null || content.length == 0) {
            throw new IllegalArgumentException("saved objects file " + fileName + " is empty");
        }
    }

    /** hepstack's own data views, searches, visualizations and dashboards. */
    public static SavedObjectsFile packaged() throws IOException {
        try (InputStream in = SavedObjectsFile.class.getClassLoader().getResourceAsStream(PACKAGED_RESOURCE)) {
            if (in == null) {
                throw new IOException(PACKAGED_RESOURCE + " is not on the classpath (the kibana module packages it)");
            }
            return new SavedObjectsFile("hepstack.ndjson", in.readAllBytes());
        }
    }

    public static SavedObjectsFile of(Path file) throws IOException {
        Path name = file.getFileName();
        return new SavedObjectsFile(name == null ? file.toString() : name.toString(), Files.readAllBytes(file));
    }

    /**
     * Saved objects in the file: lines holding an object with a {@code type} and an {@code id}
     * (Kibana's export summary, the last line of an export, has neither).
     */
    public int objectCount() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        int objects = 0;
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o;
            try {
                o = mapper.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IOException(fileName + " has a line that is not JSON: " + e.getOriginalMessage(), e);
            }
            if (o.hasNonNull("type") && o.hasNonNull("id")) {
                objects++;
            }
        }
        return objects;
    }
}
