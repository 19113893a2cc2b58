package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads watches: the ones packaged with the collector (the repository's {@code alerting/watchers/},
 * on the classpath under {@code alerting/watchers/}) or every {@code *.json} of a directory. A
 * watch's id is its file name without {@code .json}.
 */
public final class WatchFiles {

    /** Classpath folder of the packaged watch files. */
    public static final String RESOURCE_DIR = "alerting/watchers/";

    /** The packaged watches, in install order. Kept in step with alerting/watchers/ by a test. */
    public static final List<String> PACKAGED = List.of(
            "hepstack-critical-fraud-alerts",
            "hepstack-cost-spike",
            "hepstack-asr-drop",
            "hepstack-mos-drop",
            "hepstack-registration-failures",
            "hepstack-sip-5xx-per-node",
            "hepstack-capture-silence");

    private WatchFiles() {
    }

    /** The watches packaged on the classpath. */
    public static List<Watch> packaged(ObjectMapper mapper) {
        List<Watch> out = new ArrayList<>(PACKAGED.size());
        ClassLoader cl = WatchFiles.class.getClassLoader();
        for (String id : PACKAGED) {
            String resource = RESOURCE_DIR + id + ".json";
            try (InputStream in = cl.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("packaged watch missing from the classpath: " + resource);
                }
                out.add(Watch.parse(id, in.readAllBytes(), mapper));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return out;
    }

    /** Every {@code *.json} file of {@code dir}, sorted by name; at least one must be there. */
    public static List<Watch> fromDirectory(Path dir, ObjectMapper mapper) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a directory: " + dir);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no *.json watch files in " + dir);
        }
        List<Watch> out = new ArrayList<>(files.size());
        for (Path f : files) {
            String name = f.getFileName().toString();
            try {
                out.add(Watch.parse(name.substring(0, name.length() - ".json".length()), Files.readAllBytes(f), mapper));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
        }
        return out;
    }
}
