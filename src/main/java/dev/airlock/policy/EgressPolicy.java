package dev.airlock.policy;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which hosts Airlock (and commands it runs) may reach. Pure: no DNS lookups, so a decision depends
 * only on the name as written. The HTTP egress gate calls {@link #check(URI)} before every request and
 * routes allowed traffic through {@link #proxy()} when one is set.
 *
 * <ul>
 *   <li>Loopback ({@code localhost}, {@code *.localhost}, {@code 127.0.0.0/8}, {@code ::1}) is always
 *       allowed: local model servers live there.</li>
 *   <li>Offline mode: everything else is denied.</li>
 *   <li>With an allow-list: listed hosts are allowed ({@code *.example.com} covers subdomains, not
 *       {@code example.com} itself), all others denied.</li>
 *   <li>Without an allow-list: everything else is asked about.</li>
 * </ul>
 */
public final class EgressPolicy {
    private static final MatchedRule OFFLINE = new MatchedRule("egress.offline_mode", Verdict.DENY, null,
            "builtin");
    private static final MatchedRule NOT_LISTED = new MatchedRule("egress.allowed_domains", Verdict.DENY, null,
            "builtin");
    private static final MatchedRule LISTED = new MatchedRule("egress.allowed_domains", Verdict.ALLOW, null,
            "builtin");
    private static final MatchedRule PORT_NOT_LISTED = new MatchedRule("egress.allowed_ports", Verdict.DENY, null,
            "builtin");
    private static final MatchedRule UNCONFIGURED = new MatchedRule("egress.unconfigured", Verdict.ASK, null,
            "builtin");

    private final @Nullable List<Glob> allowed;
    private final List<String> allowedSource;
    private final @Nullable URI proxy;
    private final boolean offline;
    private final Set<Integer> ports;

    private EgressPolicy(@Nullable List<String> allowed, @Nullable URI proxy, boolean offline) {
        this(allowed, proxy, offline, Set.of());
    }

    private EgressPolicy(@Nullable List<String> allowed, @Nullable URI proxy, boolean offline, Set<Integer> ports) {
        this.allowedSource = allowed == null ? List.of() : List.copyOf(allowed);
        this.allowed = allowed == null ? null : allowed.stream().map(EgressPolicy::compile).toList();
        this.proxy = proxy;
        this.offline = offline;
        this.ports = Set.copyOf(ports);
    }

    private static Glob compile(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        if (d.isEmpty() || d.contains("/") || d.contains(":") && !d.startsWith("[")) {
            throw new PolicyException("egress.allowed_domains: '" + domain
                    + "' is not a host name. Write a name such as api.openai.com or *.example.com.");
        }
        if (d.startsWith("*.")) {
            // a wildcard covers subdomains at any depth, never the bare domain or a look-alike suffix
            return Glob.compile("*." + d.substring(2).replace("*", "\\*"), false);
        }
        return Glob.compile(d.replace("*", "\\*"), false);
    }

    public static EgressPolicy create(EgressConfig config) {
        URI proxy = null;
        if (config.proxy() != null && !config.proxy().isBlank()) {
            try {
                proxy = URI.create(config.proxy().strip());
            } catch (IllegalArgumentException e) {
                throw new PolicyException("egress.proxy: '" + config.proxy() + "' is not a URI. Write it as "
                        + "http://host:port.", e);
            }
            if (proxy.getHost() == null) {
                throw new PolicyException("egress.proxy: '" + config.proxy() + "' has no host. Write it as "
                        + "http://host:port.");
            }
        }
        Set<Integer> ports = new TreeSet<>();
        if (config.allowedPorts() != null) {
            for (Integer port : config.allowedPorts()) {
                if (port == null || port < 1 || port > 65535) {
                    throw new PolicyException("egress.allowed_ports: '" + port + "' is not a TCP port. Write numbers"
                            + " from 1 to 65535, such as [443, 80, 22].");
                }
                ports.add(port);
            }
        }
        return new EgressPolicy(config.allowedDomains(), proxy, Boolean.TRUE.equals(config.offlineMode()), ports);
    }

    /** No allow-list: loopback allowed, everything else asked. */
    public static EgressPolicy unconfigured() {
        return new EgressPolicy(null, null, false);
    }

    public static EgressPolicy offlineOnly() {
        return new EgressPolicy(null, null, true);
    }

    public static EgressPolicy allowing(List<String> domains) {
        return new EgressPolicy(domains, null, false);
    }

    public Optional<URI> proxy() {
        return Optional.ofNullable(proxy);
    }

    public boolean offline() {
        return offline;
    }

    /**
     * Whether a host that is not loopback is asked about rather than decided: no allow-list is
     * configured and offline mode is off. Then the one who approves a line or a request is the
     * allow-list for the hosts it names.
     */
    public boolean asksAboutUnlisted() {
        return !offline && allowed == null;
    }

    /**
     * The TCP ports that may be reached ({@code egress.allowed_ports}); empty means any. Loopback is
     * not exempt. Checked by {@link #check(URI)} and by the sandbox's egress proxy per connection.
     */
    public Set<Integer> allowedPorts() {
        return ports;
    }

    /** Whether a request to {@code uri} may leave the machine. */
    public Decision check(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return new Decision.Deny(List.of(uri + " names no host, so it cannot be checked"), List.of(NOT_LISTED),
                    List.of());
        }
        if (!ports.isEmpty()) {
            int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
            if (!ports.contains(port)) {
                return new Decision.Deny(List.of("port " + port + " of " + host + " is not in egress.allowed_ports "
                        + ports), List.of(PORT_NOT_LISTED), List.of());
            }
        }
        return checkHost(host);
    }

    private static int defaultPort(@Nullable String scheme) {
        String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "https", "wss" -> 443;
            case "ssh" -> 22;
            default -> 80;
        };
    }

    /** Whether {@code host} (a name or an IP literal) may be reached. */
    public Decision checkHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (isLoopback(h)) {
            return new Decision.Allow(List.of(host + " is loopback"), List.of(), List.of());
        }
        if (offline) {
            return new Decision.Deny(List.of("offline mode: only loopback may be reached, not " + host),
                    List.of(OFFLINE), List.of());
        }
        if (allowed == null) {
            return new Decision.Ask(List.of("no egress allow-list is configured; " + host + " needs approval"),
                    List.of(UNCONFIGURED), List.of());
        }
        for (Glob g : allowed) {
            if (g.matches(h)) {
                return new Decision.Allow(List.of(host + " is in egress.allowed_domains (" + g + ")"),
                        List.of(LISTED), List.of());
            }
        }
        return new Decision.Deny(List.of(host + " is not in egress.allowed_domains " + allowedSource),
                List.of(NOT_LISTED), List.of());
    }

    /**
     * Whether {@code host} matches an entry of {@code egress.allowed_domains} as written: loopback is
     * not implied here. The sandbox's egress proxy uses this, because for a sandboxed command the
     * host's loopback (a dashboard, a database, a model server) is a place of its own, reachable only
     * when it is listed.
     */
    public boolean lists(String host) {
        if (allowed == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (Glob g : allowed) {
            if (g.matches(h)) {
                return true;
            }
        }
        return false;
    }

    static boolean isLoopback(String h) {
        if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
