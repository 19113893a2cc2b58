package io.hepstack.collector.security;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import io.hepstack.collector.es.PemTrust;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Login against LDAP / Active Directory with the UnboundID SDK: search the user's entry (service
 * account or anonymous), bind as it with the password, then map its groups to a role and scope
 * ({@link LdapConfig#groups}). A user in no mapped group cannot log in. One short-lived connection
 * per login: logins are rare and a pool would hold the service account's bind open.
 */
public final class LdapDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(LdapDirectory.class);

    private final LdapConfig config;
    private final LDAPURL url;

    public LdapDirectory(LdapConfig config) {
        this.config = config;
        try {
            this.url = new LDAPURL(config.url);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("security.ldap.url is not an LDAP URL: " + config.url, e);
        }
        if (config.userSearchBase == null || config.userSearchBase.isBlank()) {
            throw new IllegalArgumentException("security.ldap.userSearchBase is required");
        }
    }

    /** The user, when the directory accepts the password and the user is in a mapped group. */
    public Optional<User> authenticate(String username, String password) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            return Optional.empty(); // an empty password would be an anonymous bind that "succeeds"
        }
        try (LDAPConnection c = connect()) {
            if (config.bindDn != null && !config.bindDn.isBlank()) {
                c.bind(config.bindDn, config.bindPassword);
            }
            Filter filter = Filter.create(config.userFilter.replace("{0}", Filter.encodeValue(username)));
            SearchResult found = c.search(config.userSearchBase, SearchScope.SUB, filter, config.groupAttribute);
            if (found.getEntryCount() != 1) {
                return Optional.empty();
            }
            SearchResultEntry entry = found.getSearchEntries().get(0);
            try {
                c.bind(entry.getDN(), password);
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
                    return Optional.empty();
                }
                throw e;
            }
            String[] values = entry.getAttributeValues(config.groupAttribute);
            Set<String> groups = new HashSet<>();
            for (String g : values == null ? new String[0] : values) {
                groups.add(normalize(g));
            }
            return map(username, groups);
        } catch (LDAPException e) {
            LOG.warn("LDAP login of '{}' failed: {}", username, e.getResultCode() + " " + e.getDiagnosticMessage());
            return Optional.empty();
        }
    }

    /** Highest role among the user's mapped groups; of equal roles the first in the configuration. */
    Optional<User> map(String username, Set<String> groups) {
        LdapConfig.GroupMapping best = null;
        for (LdapConfig.GroupMapping m : config.groups) {
            if (groups.contains(normalize(m.group()))
                    && (best == null || Role.of(m.role()).ordinal() > Role.of(best.role()).ordinal())) {
                best = m;
            }
        }
        if (best == null) {
            LOG.info("LDAP user '{}' is in no group of security.ldap.groups; login refused", username);
            return Optional.empty();
        }
        return Optional.of(new User(username, Role.of(best.role()),
                best.scope() == null ? DataScope.UNRESTRICTED : best.scope()));
    }

    private LDAPConnection connect() throws LDAPException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        int millis = (int) config.timeout.toMilliseconds();
        options.setConnectTimeoutMillis(millis);
        options.setResponseTimeoutMillis(millis);
        boolean ldaps = "ldaps".equalsIgnoreCase(url.getScheme());
        SSLContext tls = ldaps || config.startTls ? sslContext() : null;
        LDAPConnection c = ldaps
                ? new LDAPConnection(tls.getSocketFactory(), options, url.getHost(), url.getPort())
                : new LDAPConnection(options, url.getHost(), url.getPort());
        if (config.startTls) {
            try {
                c.processExtendedOperation(new StartTLSExtendedRequest(tls));
            } catch (LDAPException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    private SSLContext sslContext() throws LDAPException {
        try {
            if (config.caCertificate != null) {
                return PemTrust.sslContext(Path.of(config.caCertificate));
            }
            return SSLContext.getDefault(); // the JVM's trust store
        } catch (Exception e) {
            throw new LDAPException(ResultCode.LOCAL_ERROR, "TLS set-up: " + e.getMessage(), e);
        }
    }

    private static String normalize(String dn) {
        return Arrays.stream(dn.split(",")).map(String::trim).reduce((a, b) -> a + "," + b).orElse("")
                .toLowerCase(Locale.ROOT);
    }
}
