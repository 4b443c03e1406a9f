package dev.airlock.gate;

import dev.airlock.policy.Decision;
import dev.airlock.policy.PolicyEngine;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides one connection a sandboxed command asks the egress proxy for: the egress policy on the
 * host as written, then on every address it resolves to, so a name cannot be rebound to a place the
 * policy would not let the command reach by its address.
 *
 * <ul>
 *   <li>A host the policy denies (offline mode, not in {@code allowed_domains}, a domain rule) is
 *       refused.</li>
 *   <li>The host's loopback is not implied: for a sandboxed command, {@code 127.0.0.0/8} and
 *       {@code localhost} are somebody else's services (the dashboard, a database, a model server),
 *       reachable only when listed in {@code allowed_domains}, or, when no allow-list is configured
 *       (and not offline), when the approved line names it.</li>
 *   <li>A host the policy would ask about (no allow-list configured) is allowed only when a network
 *       command of the approved line names it: whoever approved the line saw that host, and no
 *       other. Nobody can be asked in the middle of a command.</li>
 *   <li>The resolved address is checked too: loopback, private (RFC 1918, RFC 4193), link-local
 *       (cloud metadata), shared (RFC 6598), unspecified, multicast and reserved addresses are
 *       reached only when that address itself is listed or approved as above (or, for loopback,
 *       through a loopback name that is).</li>
 *   <li>With a port list, any other port is refused.</li>
 * </ul>
 *
 * <p>The proxy connects to the address decided here, never to the name again: no second lookup can
 * give another answer.
 */
final class EgressRule {
    /** Name resolution, injected so that tests can give a name any address without a DNS server. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The outcome for one connection; {@code address} is set exactly when allowed. */
    record Verdict(boolean allowed, String reason, @Nullable InetAddress address, String rule) {
        static Verdict refuse(String rule, String reason) {
            return new Verdict(false, reason, null, rule);
        }
    }

    private final PolicyEngine engine;
    private final String agent;
    private final Set<String> named;
    private final Set<Integer> ports;
    private final Resolver resolver;
    private final boolean askRegime;

    EgressRule(PolicyEngine engine, String agent, Set<String> namedHosts, Set<Integer> ports, Resolver resolver) {
        this.engine = engine;
        this.agent = agent;
        this.named = namedHosts.stream().map(EgressRule::normalize).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.ports = Set.copyOf(ports);
        this.resolver = resolver;
        // No allow-list and not offline: the policy asks about every host, so the human's approval
        // of the line is the decision, for the hosts that line names.
        this.askRegime = engine.egress().asksAboutUnlisted();
    }

    static EgressRule of(PolicyEngine engine, String agent, Set<String> namedHosts, Set<Integer> ports) {
        return new EgressRule(engine, agent, namedHosts, ports, InetAddress::getAllByName);
    }

    /**
     * The policy's decision on a request a model asked for ({@code http_get}, and each redirect it
     * leads to), tightened as for a sandboxed command: the host's loopback, and an address literal in
     * a private, link-local, shared or reserved range, is not implied for a model. Unless the host is
     * listed in {@code allowed_domains} it is denied when an allow-list is configured (the list is
     * the user's whole answer) and asked about otherwise.
     */
    static Decision forModel(PolicyEngine engine, Decision policy, String rawHost) {
        if (policy instanceof Decision.Deny) {
            return policy;
        }
        String host = normalize(rawHost);
        boolean local = isLoopbackName(host);
        if (!local && (host.matches("[0-9.]+") || host.contains(":"))) {
            try {
                local = special(InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                local = true; // an address literal Java cannot read is nothing a model may reach
            }
        }
        if (!local || engine.egress().lists(host)) {
            return policy;
        }
        String reason = host + " is this machine or a private network, which a model's request reaches only when"
                + " it is listed in policy.egress.allowed_domains (rule egress.model_local)";
        dev.airlock.policy.MatchedRule rule = new dev.airlock.policy.MatchedRule("egress.model_local",
                dev.airlock.policy.Verdict.DENY, null, "builtin");
        boolean askRegime = engine.egress().asksAboutUnlisted();
        return askRegime ? new Decision.Ask(List.of(reason), List.of(rule), List.of())
                : new Decision.Deny(List.of(reason), List.of(rule), List.of());
    }

    /** Whether a command may open a TCP connection to {@code rawHost}:{@code port}. */
    Verdict decide(String rawHost, int port) {
        String host = normalize(rawHost);
        if (host.isEmpty() || !host.matches("[a-z0-9._:%-]+") || host.length() > 253) {
            return Verdict.refuse("egress.host", "'" + printable(rawHost) + "' is not a host name");
        }
        if (port < 1 || port > 65535) {
            return Verdict.refuse("egress.port", "port " + port + " is not a TCP port");
        }
        if (!ports.isEmpty() && !ports.contains(port)) {
            return Verdict.refuse("egress.allowed_ports", "port " + port + " is not in egress.allowed_ports "
                    + ports.stream().sorted().toList());
        }
        Decision d;
        try {
            d = engine.checkUrl(new URI("http", null, host, port, null, null, null), agent);
        } catch (URISyntaxException e) {
            return Verdict.refuse("egress.host", "'" + host + "' is not a host name");
        }
        boolean listed = engine.egress().lists(host);
        boolean approvedByLine = askRegime && named.contains(host);
        boolean loopbackName = isLoopbackName(host);
        switch (d) {
            case Decision.Deny deny -> {
                return Verdict.refuse(ruleOf(d, "egress.allowed_domains"), String.join("; ", deny.reasons()));
            }
            case Decision.Ask ask -> {
                if (!named.contains(host)) {
                    return Verdict.refuse(ruleOf(d, "egress.unconfigured"), String.join("; ", ask.reasons())
                            + "; the approved line does not name it, and nobody can be asked in the middle of a"
                            + " command: add it to policy.egress.allowed_domains");
                }
            }
            case Decision.Allow allow -> {
                if (loopbackName && !listed && !approvedByLine) {
                    return Verdict.refuse("egress.sandbox_loopback", host + " is the host's loopback, which a"
                            + " sandboxed command reaches only when it is listed in policy.egress.allowed_domains"
                            + (askRegime ? " or named by the approved line" : ""));
                }
            }
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException | SecurityException e) {
            return Verdict.refuse("egress.resolve", host + " does not resolve");
        }
        List<String> refused = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (!special(a) || addressApproved(a) || a.isLoopbackAddress() && loopbackName && (listed || approvedByLine)) {
                return new Verdict(true, allowReason(host, listed, approvedByLine, d), a, ruleOf(d, "egress.allowed_domains"));
            }
            refused.add(a.getHostAddress());
        }
        if (refused.isEmpty()) {
            return Verdict.refuse("egress.resolve", host + " does not resolve");
        }
        return Verdict.refuse("egress.resolved_address", host + " resolves to " + String.join(", ", refused)
                + ", a loopback, private or reserved address that is not itself in policy.egress.allowed_domains");
    }

    private static String allowReason(String host, boolean listed, boolean approvedByLine, Decision d) {
        if (listed) {
            return host + " is in policy.egress.allowed_domains";
        }
        if (approvedByLine) {
            return host + " is named by the approved line (no egress allow-list is configured)";
        }
        return String.join("; ", d.reasons());
    }

    private static String ruleOf(Decision d, String fallback) {
        return d.rules().isEmpty() ? fallback : d.rules().get(0).id();
    }

    /** The address itself is listed, or (no allow-list) named as a literal by the approved line. */
    private boolean addressApproved(InetAddress a) {
        List<String> forms = new ArrayList<>(List.of(a.getHostAddress()));
        if (a instanceof Inet6Address v6) {
            forms.add(compressed(v6));
        }
        for (String form : forms) {
            if (engine.egress().lists(form) || askRegime && named.contains(form)) {
                return true;
            }
        }
        return false;
    }

    /** Addresses that are not the public internet: a name resolving to one of them is refused. */
    static boolean special(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int x = b[0] & 0xff;
            int y = b[1] & 0xff;
            return x == 0 // this network
                    || x == 100 && (y & 0xc0) == 64 // shared address space, RFC 6598
                    || x == 192 && y == 0 && (b[2] & 0xff) == 0 // IETF protocol assignments
                    || x == 198 && (y & 0xfe) == 18 // benchmarking, RFC 2544
                    || x >= 240; // reserved and broadcast
        }
        int first = b[0] & 0xff;
        if ((first & 0xfe) == 0xfc) {
            return true; // unique local, RFC 4193
        }
        boolean v4Compatible = true;
        for (int i = 0; i < 10; i++) {
            v4Compatible &= b[i] == 0;
        }
        if (v4Compatible && (b[10] == 0 && b[11] == 0 || b[10] == (byte) 0xff && b[11] == (byte) 0xff)) {
            return true; // IPv4-compatible or IPv4-mapped: judged as IPv4 by nobody, so refused
        }
        // NAT64 (64:ff9b::/96) can reach any IPv4 address, private ones included.
        return first == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    }

    static boolean isLoopbackName(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    static String normalize(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    private static String compressed(Inet6Address a) {
        return a.getHostAddress().replaceAll("%.*$", "").replaceFirst("(^|:)(0+(:|$)){2,8}", "::")
                .replaceAll("(^|:)0+([0-9a-f])", "$1$2");
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
