package io.hepstack.enricher.dnsbl;

import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

/**
 * DNS A lookups through the JDK's JNDI DNS provider, which (unlike {@code InetAddress}) has a
 * per-query timeout and can be pointed at one server ({@code dns://127.0.0.1:5353}); with no server
 * it uses the system's resolvers.
 */
public final class JndiDnsResolver implements DnsResolver {

    private final Hashtable<String, String> env = new Hashtable<>();

    /** @param server "host[:port]" of the DNS server, or null for the system's */
    public JndiDnsResolver(String server, Duration timeout) {
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("com.sun.jndi.dns.timeout.initial", Long.toString(Math.max(1, timeout.toMillis())));
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        env.put("java.naming.provider.url", server == null || server.isBlank() ? "dns:" : "dns://" + server.strip());
    }

    @Override
    public List<String> lookupA(String name) throws NamingException {
        DirContext ctx = new InitialDirContext(env);
        try {
            Attributes attrs = ctx.getAttributes(name, new String[] {"A"});
            Attribute a = attrs.get("A");
            List<String> out = new ArrayList<>();
            if (a != null) {
                NamingEnumeration<?> values = a.getAll();
                while (values.hasMore()) {
                    out.add(String.valueOf(values.next()));
                }
            }
            return out;
        } catch (NameNotFoundException e) {
            return List.of();
        } finally {
            ctx.close();
        }
    }
}
