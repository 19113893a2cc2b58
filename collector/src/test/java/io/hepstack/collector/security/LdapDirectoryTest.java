package io.hepstack.collector.security;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** LDAP login against UnboundID's in-memory directory server (a real LDAP server on a loopback port). */
class LdapDirectoryTest {

    private static InMemoryDirectoryServer server;

    @BeforeAll
    static void start() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=example,dc=com");
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        config.setSchema(null); // memberOf is an operational attribute the bundled schema lacks
        config.addAdditionalBindCredentials("cn=service,dc=example,dc=com", "service-pass");
        server = new InMemoryDirectoryServer(config);
        server.add("dn: dc=example,dc=com", "objectClass: top", "objectClass: domain", "dc: example");
        server.add("dn: ou=people,dc=example,dc=com", "objectClass: organizationalUnit", "ou: people");
        server.add("dn: uid=alice,ou=people,dc=example,dc=com", "objectClass: inetOrgPerson", "objectClass: extensibleObject",
                "uid: alice", "cn: Alice", "sn: A", "userPassword: alice-pass",
                "memberOf: cn=noc,ou=groups,dc=example,dc=com", "memberOf: cn=fraud,ou=groups,dc=example,dc=com");
        server.add("dn: uid=bob,ou=people,dc=example,dc=com", "objectClass: inetOrgPerson", "objectClass: extensibleObject",
                "uid: bob", "cn: Bob", "sn: B", "userPassword: bob-pass", "memberOf: cn=partner-a,ou=groups,dc=example,dc=com");
        server.add("dn: uid=eve,ou=people,dc=example,dc=com", "objectClass: inetOrgPerson", "uid: eve", "cn: Eve", "sn: E",
                "userPassword: eve-pass");
        server.startListening();
    }

    @AfterAll
    static void stop() {
        server.shutDown(true);
    }

    private static LdapDirectory directory() {
        LdapConfig c = new LdapConfig();
        c.enabled = true;
        c.url = "ldap://127.0.0.1:" + server.getListenPort();
        c.bindDn = "cn=service,dc=example,dc=com";
        c.bindPassword = "service-pass";
        c.userSearchBase = "ou=people,dc=example,dc=com";
        c.groups = List.of(
                new LdapConfig.GroupMapping("cn=noc,ou=groups,dc=example,dc=com", "viewer", null),
                new LdapConfig.GroupMapping("CN=fraud, OU=groups, DC=example, DC=com", "analyst", null),
                new LdapConfig.GroupMapping("cn=partner-a,ou=groups,dc=example,dc=com", "viewer",
                        new DataScope(Set.of(2001), null, null, null, null)));
        return new LdapDirectory(c);
    }

    @Test
    void theHighestMappedGroupGivesTheRoleAndAGroupCanScope() {
        User alice = directory().authenticate("alice", "alice-pass").orElseThrow();
        assertThat(alice.role()).isEqualTo(Role.ANALYST);
        assertThat(alice.scope().unrestricted()).isTrue();
        User bob = directory().authenticate("bob", "bob-pass").orElseThrow();
        assertThat(bob.role()).isEqualTo(Role.VIEWER);
        assertThat(bob.scope().captureIds()).containsExactly(2001);
    }

    @Test
    void wrongPasswordsUnmappedUsersEmptyPasswordsAndFilterInjectionFail() {
        LdapDirectory d = directory();
        assertThat(d.authenticate("alice", "wrong")).isEmpty();
        assertThat(d.authenticate("alice", "")).as("an empty password is an anonymous bind").isEmpty();
        assertThat(d.authenticate("eve", "eve-pass")).as("in no mapped group").isEmpty();
        assertThat(d.authenticate("*", "alice-pass")).isEmpty();
        assertThat(d.authenticate("alice)(uid=*", "alice-pass")).isEmpty();
        assertThat(d.authenticate("nobody", "x")).isEmpty();
    }

    @Test
    void theBindPasswordNeverAppearsInToString() {
        LdapConfig c = new LdapConfig();
        c.bindPassword = "service-pass";
        assertThat(c.toString()).doesNotContain("service-pass").contains("bindPassword=****");
    }
}
