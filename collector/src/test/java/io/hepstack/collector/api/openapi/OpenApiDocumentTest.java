package io.hepstack.collector.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every resource method of the API (found on the compiled classes) is in the OpenAPI document, and nothing else is. */
class OpenApiDocumentTest {

    private static final Pattern REGEX_TEMPLATE = Pattern.compile("\\{(\\w+)\\s*:\\s*([^}]*)}");

    @Test
    void everyResourceMethodIsDocumented() {
        JsonNode paths = OpenApiResource.load().path("paths");
        List<String> endpoints = endpoints();
        assertThat(endpoints).as("resources found").hasSizeGreaterThan(20);
        List<String> missing = new ArrayList<>();
        for (String e : endpoints) {
            String[] mp = e.split(" ", 2);
            if (!paths.path(mp[1]).has(mp[0])) {
                missing.add(e);
            }
        }
        assertThat(missing).as("endpoints missing from openapi.yaml").isEmpty();
        for (Map.Entry<String, JsonNode> p : (Iterable<Map.Entry<String, JsonNode>>) paths::fields) {
            p.getValue().fieldNames().forEachRemaining(m -> {
                if (!p.getKey().startsWith("/api/v1/auth/")) { // the security work's endpoints live in its own package
                    assertThat(endpoints).as("documented but not served").contains(m + " " + p.getKey());
                }
            });
        }
    }

    /** "get /api/v1/calls/{callId}/view", ... of every @Path class under io.hepstack.collector.api. */
    static List<String> endpoints() {
        List<String> out = new ArrayList<>();
        for (JavaClass jc : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hepstack.collector.api")) {
            Class<?> c = jc.reflect();
            Path root = c.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method m : c.getDeclaredMethods()) {
                String verb = verb(m);
                if (verb == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String full = join(root.value(), sub == null ? "" : sub.value());
                for (String p : expand(full)) {
                    out.add(verb + " " + p);
                }
            }
        }
        return out;
    }

    private static String verb(Method m) {
        for (Class<? extends Annotation> a : List.of(GET.class, POST.class, PUT.class, DELETE.class)) {
            if (m.isAnnotationPresent(a)) {
                return a.getSimpleName().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static String join(String a, String b) {
        String s = ("/" + a + "/" + b).replaceAll("/+", "/");
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code {file: a\.x|b\.y}} → one path per alternative; {@code {id: [0-9]+}} → {@code {id}}. */
    static List<String> expand(String path) {
        Matcher m = REGEX_TEMPLATE.matcher(path);
        if (!m.find()) {
            return List.of(path);
        }
        String regex = m.group(2).trim();
        List<String> out = new ArrayList<>();
        if (regex.matches("[\\w\\\\.|-]+")) {
            for (String alt : regex.split("\\|")) {
                out.addAll(expand(path.substring(0, m.start()) + alt.replace("\\.", ".") + path.substring(m.end())));
            }
        } else {
            out.addAll(expand(path.substring(0, m.start()) + "{" + m.group(1) + "}" + path.substring(m.end())));
        }
        return out;
    }
}
