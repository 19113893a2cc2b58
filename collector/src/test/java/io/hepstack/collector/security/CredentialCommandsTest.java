package io.hepstack.collector.security;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import io.hepstack.collector.CollectorApplication;
import io.hepstack.collector.CollectorConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The entries hash-password and new-token print load as they are into a users file. */
class CredentialCommandsTest {

    private static String run(String stdin, String... args) throws Exception {
        Bootstrap<CollectorConfiguration> bootstrap = new Bootstrap<>(new CollectorApplication());
        CredentialCommands.all().forEach(bootstrap::addCommand);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = System.in;
        PrintStream stdout = System.out;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Optional<Throwable> failure = new Cli(new JarLocation(CredentialCommandsTest.class), bootstrap,
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
            assertThat(failure).as(err.toString(StandardCharsets.UTF_8)).isEmpty();
        } finally {
            System.setIn(in);
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printedEntriesWork(@TempDir Path dir) throws Exception {
        String user = run("correct horse battery\n", "hash-password", "carol", "analyst");
        String token = run("", "new-token", "grafana", "viewer", "30");
        String secret = token.lines().filter(l -> l.trim().startsWith("hst_")).findFirst().orElseThrow().trim();
        String entry = token.lines().filter(l -> l.trim().startsWith("- {name: grafana")).findFirst().orElseThrow();
        Path f = dir.resolve("users.yml");
        Files.writeString(f, "users:\n" + user + "tokens:\n" + entry + "\n");
        UserDirectory d = new UsersFileLoader().load(f);
        assertThat(d.account("carol").orElseThrow().role()).isEqualTo(Role.ANALYST);
        assertThat(new Passwords(4).matches("correct horse battery", d.account("carol").orElseThrow().passwordHash())).isTrue();
        assertThat(d.token(secret).orElseThrow().role()).isEqualTo(Role.VIEWER);
        assertThat(Files.readString(f)).doesNotContain("correct horse battery").doesNotContain(secret);
    }
}
