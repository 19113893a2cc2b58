package io.hepstack.collector.security;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The commands that make users-file entries, so nobody writes a hash by hand:
 * {@code hash-password [USER] [ROLE]} reads a password (twice, without echo on a terminal, or one
 * line from stdin) and prints the bcrypt line; {@code new-token NAME ROLE [DAYS]} makes a random
 * API token, prints it once and the line with its SHA-256 for the file.
 */
public final class CredentialCommands {

    private CredentialCommands() {
    }

    public static List<Command> all() {
        return List.of(new HashPassword(), new NewToken());
    }

    static final class HashPassword extends Command {
        HashPassword() {
            super("hash-password", "Reads a password and prints its bcrypt hash as a users-file entry");
        }

        @Override
        public void configure(Subparser subparser) {
            subparser.addArgument("user").nargs("?").setDefault("alice").help("user name for the printed entry");
            subparser.addArgument("role").nargs("?").setDefault("viewer").help("viewer, analyst or admin");
        }

        @Override
        public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
            Role role = Role.of(ns.getString("role"));
            String password;
            Console console = System.console();
            if (console != null) {
                char[] a = console.readPassword("password: ");
                char[] b = console.readPassword("again: ");
                if (a == null || b == null || !new String(a).equals(new String(b))) {
                    throw new IllegalArgumentException("the two passwords differ");
                }
                password = new String(a);
            } else {
                password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
            if (password == null || password.length() < 10) {
                throw new IllegalArgumentException("a password needs at least 10 characters");
            }
            System.out.printf("  %s:%n    password: \"%s\"%n    role: %s%n", ns.getString("user"), new Passwords().hash(password), role.id());
        }
    }

    static final class NewToken extends Command {
        NewToken() {
            super("new-token", "Makes a random API token; prints it once and its users-file entry");
        }

        @Override
        public void configure(Subparser subparser) {
            subparser.addArgument("name").help("what the token is for, e.g. grafana");
            subparser.addArgument("role").help("viewer, analyst or admin");
            subparser.addArgument("days").nargs("?").type(Integer.class).setDefault(365).help("valid for (default 365)");
        }

        @Override
        public void run(Bootstrap<?> bootstrap, Namespace ns) {
            Role role = Role.of(ns.getString("role"));
            String token = "hst_" + Passwords.randomSecret(32);
            Instant expires = Instant.now().plus(ns.getInt("days"), ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            System.out.println("token (shown only now; send it as 'Authorization: Bearer <token>'):");
            System.out.println("  " + token);
            System.out.println("users-file entry (under tokens:):");
            System.out.printf("  - {name: %s, sha256: \"%s\", role: %s, expires: \"%s\"}%n",
                    ns.getString("name"), UserDirectory.tokenHash(token), role.id(), expires);
        }
    }
}
