package io.hepstack.collector.security;

import io.hepstack.enricher.reload.LoadException;
import io.hepstack.enricher.reload.ReloadableFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsersFileLoaderTest {

    private static final Passwords PASSWORDS = new Passwords(4);

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path f = dir.resolve("users.yml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void usersTokensRolesAndScopes() throws Exception {
        String hash = PASSWORDS.hash("s3cret-pass");
        Path f = write("users:\n  alice:\n    password: \"" + hash + "\"\n    role: Analyst\n"
                + "    scope: {captureIds: [2001], ipRanges: [\"10.1.0.0/16\"]}\n"
                + "tokens:\n  - {name: grafana, sha256: \"" + UserDirectory.tokenHash("tok") + "\", role: viewer,"
                + " expires: \"2030-01-01T00:00:00Z\"}\n");
        UserDirectory d = new UsersFileLoader().load(f);
        UserDirectory.Account alice = d.account("alice").orElseThrow();
        assertThat(alice.role()).isEqualTo(Role.ANALYST);
        assertThat(alice.scope().captureIds()).containsExactly(2001);
        assertThat(PASSWORDS.matches("s3cret-pass", alice.passwordHash())).isTrue();
        assertThat(alice.toString()).doesNotContain(hash);
        UserDirectory.ApiToken t = d.token("tok").orElseThrow();
        assertThat(t.role()).isEqualTo(Role.VIEWER);
        assertThat(t.validAt(Instant.parse("2029-12-31T23:59:59Z"))).isTrue();
        assertThat(t.validAt(Instant.parse("2030-01-01T00:00:00Z"))).isFalse();
        assertThat(d.token("other")).isEmpty();
    }

    @Test
    void mistakesNameTheirLine() throws Exception {
        String hash = PASSWORDS.hash("x");
        assertLine("users:\n  bob:\n    password: \"hunter2\"\n    role: viewer\n", 2, "bcrypt");
        assertLine("users:\n  bob:\n    password: \"" + hash + "\"\n    role: root\n", 2, "unknown role 'root'");
        assertLine("users:\n  bob: {password: \"" + hash + "\", role: viewer}\n  bob: {password: \"" + hash + "\", role: admin}\n",
                3, "Duplicate field 'bob'");
        assertLine("users:\n  bob: {password: \"" + hash + "\", role: viewer, scope: {ipRanges: [\"10.0.0.1/8\"]}}\n", 2, "host bits");
        assertLine("tokens:\n  - {name: t, sha256: \"abc\", role: viewer}\n", 2, "64 lower-case hex");
        assertLine("tokens:\n  - name: ok\n    sha256: \"" + UserDirectory.tokenHash("a") + "\"\n    role: viewer\n  - name: bad\n    role: viewer\n", 5, "sha256");
        assertLine("# users\nusrs:\n  bob: {password: x}\n", 2, "usrs");
        assertLine("users:\n  bob:\n    password: x\n    rol: viewer\n", 4, "rol");
    }

    private void assertLine(String text, int line, String reason) throws Exception {
        Path f = write(text);
        assertThatThrownBy(() -> new UsersFileLoader().load(f)).isInstanceOf(LoadException.class)
                .satisfies(e -> assertThat(((LoadException) e).line()).as(e.getMessage()).isEqualTo(line))
                .hasMessageContaining(reason);
    }

    @Test
    void aBrokenEditKeepsTheLastGoodVersion() throws Exception {
        Path f = write("users:\n  bob: {password: \"" + PASSWORDS.hash("x") + "\", role: viewer}\n");
        ReloadableFile<UserDirectory> users = new ReloadableFile<>("users", f, new UsersFileLoader()).loadInitial();
        Files.writeString(f, "users:\n  bob: {password: plain, role: viewer}\n");
        assertThat(users.reload()).isFalse();
        assertThat(users.current().account("bob")).isPresent();
        assertThat(users.status().errorLine()).isEqualTo(2);
    }

    @Test
    void firstStartCreatesAnOwnerOnlyFileWithAWorkingAdminPassword() throws Exception {
        Path f = dir.resolve("data/users.yml");
        List<String> told = new java.util.ArrayList<>();
        assertThat(InitialAdmin.ensure(f, PASSWORDS, told::add)).isTrue();
        assertThat(told).hasSize(1);
        assertThat(told.get(0)).hasSize(20);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        UserDirectory d = new UsersFileLoader().load(f);
        assertThat(d.account("admin").orElseThrow().role()).isEqualTo(Role.ADMIN);
        assertThat(PASSWORDS.matches(told.get(0), d.account("admin").orElseThrow().passwordHash())).isTrue();
        assertThat(Files.readString(f)).doesNotContain(told.get(0));
        assertThat(Files.readString(f)).doesNotContainPattern("password: \"[^$]");
        assertThat(InitialAdmin.ensure(f, PASSWORDS, told::add)).as("only once").isFalse();
        assertThat(told).hasSize(1);
        assertThat(List.of(d.accounts().keySet().toArray())).containsExactly("admin");
    }
}
