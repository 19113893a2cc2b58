package io.hepstack.collector.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Optional LDAP / Active Directory login: find the user's entry with a service account, bind as
 * that entry with the given password, and map its groups to a role and a data scope. Users of the
 * users file are tried first.
 */
public class LdapConfig {

    /** One group → role (and optionally scope) mapping; the first group (in this order) with the highest role wins. */
    public record GroupMapping(@JsonProperty("group") String group, @JsonProperty("role") String role,
                               @JsonProperty("scope") DataScope scope) {
        public GroupMapping {
            if (group == null || group.isBlank()) {
                throw new IllegalArgumentException("ldap.groups: a mapping needs 'group' (the group's DN)");
            }
            Role.of(role == null ? "" : role);
        }
    }

    @JsonProperty
    public boolean enabled = false;
    /** {@code ldaps://ad.example.com:636} or {@code ldap://...} (then use startTls). */
    @JsonProperty
    public String url;
    @JsonProperty
    public boolean startTls = false;
    /** PEM CA of the directory's certificate; null: the JVM's trust store. */
    @JsonProperty
    public String caCertificate;
    /** Service account that searches for users (null: anonymous search). */
    @JsonProperty
    public String bindDn;
    @JsonProperty
    public String bindPassword;
    @JsonProperty
    public String userSearchBase;
    /** {0} is the login name, escaped; AD: {@code (sAMAccountName={0})}. */
    @JsonProperty
    @NotNull
    public String userFilter = "(uid={0})";
    /** Attribute of the user entry listing its groups (AD and OpenLDAP's memberOf overlay). */
    @JsonProperty
    @NotNull
    public String groupAttribute = "memberOf";
    @JsonProperty
    @NotNull
    public List<GroupMapping> groups = new ArrayList<>();
    @JsonProperty
    @NotNull
    public Duration timeout = Duration.seconds(5);

    @Override
    public String toString() {
        return "LdapConfig[enabled=" + enabled + ", url=" + url + ", bindDn=" + bindDn + ", bindPassword="
                + Secrets.mask(bindPassword) + ", userSearchBase=" + userSearchBase + ", groups=" + groups.size() + "]";
    }
}
