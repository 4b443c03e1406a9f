package dev.airlock.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.airlock.policy.CommandAnalyzer;
import dev.airlock.policy.PolicyConfig;
import dev.airlock.policy.PolicyEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The per-connection rule of the sandbox's egress proxy, one {@link DynamicTest} per line of
 * gate/egress-rule-vectors.txt. Names resolve through a table in the vector (the resolver is
 * injected as I/O is), so a listed name can be made to resolve into private space.
 */
class EgressRuleTest {
    static final CommandAnalyzer ANALYZER = CommandAnalyzer.create();

    @AfterAll
    static void close() {
        ANALYZER.close();
    }

    @TestFactory
    Stream<DynamicTest> connection_isDecidedOnTheNameAndOnEveryAddressItResolvesTo() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (InputStream in = EgressRuleTest.class.getResourceAsStream("/gate/egress-rule-vectors.txt")) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                String[] c = Arrays.stream(l.split("\\|")).map(String::strip).toArray(String[]::new);
                tests.add(dynamicTest(l, () -> {
                    StringBuilder yaml = new StringBuilder("egress: {offline_mode: " + c[2]);
                    if (!c[1].equals("-")) {
                        yaml.append(", allowed_domains: [")
                                .append(Arrays.stream(c[1].split(",")).map(d -> "'" + d + "'").collect(Collectors.joining(", ")))
                                .append("]");
                    }
                    if (!c[3].equals("-")) {
                        yaml.append(", allowed_ports: [").append(c[3]).append("]");
                    }
                    yaml.append("}");
                    PolicyEngine engine = PolicyEngine.create(PolicyConfig.parse(yaml.toString(), "vector"), ANALYZER);
                    Set<String> named = c[4].equals("-") ? Set.of() : Set.of(c[4].split(","));
                    EgressRule rule = new EgressRule(engine, "cli", named, engine.egress().allowedPorts(),
                            host -> resolve(c[7]));

                    EgressRule.Verdict v = rule.decide(c[5], Integer.parseInt(c[6]));

                    assertThat(v.allowed() ? "allow" : "deny").as("%s (%s: %s)", l, v.rule(), v.reason()).isEqualTo(c[0]);
                    assertThat(v.reason()).isNotBlank();
                    assertThat(v.rule()).isNotBlank();
                    if (v.allowed()) {
                        assertThat(v.address()).isNotNull();
                        String addr = v.address().getHostAddress();
                        boolean vetted = !EgressRule.special(v.address()) || c[1].contains(addr) || c[4].contains(addr)
                                || c[1].equals("localhost") || c[4].equals("localhost");
                        assertThat(vetted).as("connects only to a vetted address").isTrue();
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static InetAddress[] resolve(String column) throws UnknownHostException {
        if (column.equals("-")) {
            throw new UnknownHostException("no such name");
        }
        List<InetAddress> out = new ArrayList<>();
        for (String a : column.split(",")) {
            out.add(InetAddress.getByName(a)); // literals only: no lookup happens
        }
        return out.toArray(InetAddress[]::new);
    }
}
