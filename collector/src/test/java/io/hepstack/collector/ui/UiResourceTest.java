package io.hepstack.collector.ui;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UiResourceTest {

    private final UiResource ui = new UiResource();

    @Test
    void everyPageRouteAnswersTheShellWithTheSecurityHeaders() {
        for (Response r : new Response[] {ui.home(), ui.search(), ui.importPage(), ui.login(), ui.call("a%2Fb@host")}) {
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getMediaType()).isEqualTo(MediaType.valueOf("text/html; charset=utf-8"));
            assertThat(r.getHeaderString("Cache-Control")).isEqualTo("no-store");
            assertThat(r.getHeaderString("Content-Security-Policy")).isEqualTo(UiResource.CONTENT_SECURITY_POLICY);
            assertThat(r.getHeaderString("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(new String((byte[]) r.getEntity(), StandardCharsets.UTF_8)).contains("/ui/js/app.js");
        }
    }

    @Test
    void thePolicyAllowsOnlyOurOwnScriptsAndStyles() {
        assertThat(UiResource.CONTENT_SECURITY_POLICY)
                .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
    }

    @ParameterizedTest
    @CsvSource({"js/app.js, text/javascript; charset=utf-8", "css/app.css, text/css; charset=utf-8", "favicon.svg, image/svg+xml"})
    void assetsHaveTheirContentTypeAndAreRevalidated(String asset, String type) {
        Response r = ui.asset(asset);
        assertThat(r.getMediaType()).isEqualTo(MediaType.valueOf(type));
        assertThat(r.getHeaderString("Cache-Control")).isEqualTo("no-cache");
        assertThat(r.getEntityTag()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../collector-test.yml", "js/../../logback-test.xml", "/etc/passwd", "js/app.js.bak", "js/missing.js", "index", ".hidden.js"})
    void nothingOutsideTheUiFolderOrUnknownIsServed(String asset) {
        assertThatThrownBy(() -> ui.asset(asset)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void noPageUsesInlineScriptOrStyle() throws Exception {
        String html = new String((byte[]) ui.home().getEntity(), StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("style=").doesNotContain("onclick").doesNotContain("javascript:");
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(html);
        while (scripts.find()) {
            assertThat(scripts.group(1)).as("every script is a file").contains("src=");
        }
        // the markup the modules build must not need what the policy forbids either
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/ui/js"))) {
            for (var f : files.toList()) {
                String js = java.nio.file.Files.readString(f).replace("http://www.w3.org/2000/svg", ""); // a namespace, not a fetch
                assertThat(js).as(f.toString()).doesNotContain("style=\"").doesNotContain(" onclick=").doesNotContain("eval(")
                        .doesNotContain("new Function(").doesNotContain("http://").doesNotContain("https://");
            }
        }
    }
}
