package io.hepstack.collector.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.hepstack.collector.index.DocumentSink;
import io.hepstack.enricher.reload.FileWatcher;
import io.hepstack.enricher.reload.LoadException;
import io.hepstack.enricher.reload.ReloadableFile;
import jakarta.servlet.DispatcherType;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.function.Supplier;

/**
 * Wires the user-facing security into the application (docs/security.md): the users file (created
 * with an admin on first start, hot-reloaded), optional LDAP, sessions, the authentication and role
 * filters over every {@code /api/**} path, the login resource, the audit trail and its resource,
 * and the guard of the admin port's tasks.
 */
public final class ApiSecurity {

    private final ReloadableFile<UserDirectory> users;
    private final Authenticator authenticator;
    private final AuditLog audit;

    private ApiSecurity(ReloadableFile<UserDirectory> users, Authenticator authenticator, AuditLog audit) {
        this.users = users;
        this.authenticator = authenticator;
        this.audit = audit;
    }

    /**
     * Builds and registers everything.
     *
     * @param auditSink where audit documents go (the bulk indexer); null: log lines only
     * @param elasticsearch the client the audit resource searches with (exists once Elasticsearch started)
     */
    public static ApiSecurity install(SecurityConfig config, Environment env, DocumentSink auditSink,
                                      Supplier<RestClient> elasticsearch, ObjectMapper mapper) throws IOException, LoadException {
        Clock clock = Clock.systemUTC();
        Passwords passwords = new Passwords(config.bcryptCost);
        Path file = Path.of(config.usersFile);
        InitialAdmin.ensure(file, passwords);
        ReloadableFile<UserDirectory> users = new ReloadableFile<>("users", file, new UsersFileLoader()).loadInitial();
        FileWatcher watcher = new FileWatcher(Duration.ofMillis(config.reloadInterval.toMilliseconds()));
        watcher.watch(users);
        env.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                watcher.close();
            }
        });
        LdapDirectory ldap = config.ldap.enabled ? new LdapDirectory(config.ldap) : null;
        Authenticator authenticator = new Authenticator(users::current, ldap, passwords,
                new LoginLimiter(config.login, clock), clock);
        Sessions sessions = new Sessions(config.sessionIdleTimeout.toJavaDuration(), config.sessionMaxAge.toJavaDuration(),
                config.maxSessions, clock);
        AuditLog audit = new AuditLog(config.audit ? auditSink : null, clock);

        env.jersey().register(new AuthFilter(authenticator, sessions));
        env.jersey().register(new RoleCheck());
        env.jersey().register(new AuditFilter(audit));
        env.jersey().register(new AuthResource(authenticator, sessions, audit, config, mapper));
        env.jersey().register(new AuditResource(elasticsearch, mapper));
        env.admin().addFilter("admin-task-guard", new AdminTaskGuard(authenticator, audit))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/tasks/*");
        return new ApiSecurity(users, authenticator, audit);
    }

    /** The users file (for health checks and the reload task). */
    public ReloadableFile<UserDirectory> users() {
        return users;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public AuditLog audit() {
        return audit;
    }
}
