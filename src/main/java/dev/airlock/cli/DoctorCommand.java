package dev.airlock.cli;

import dev.airlock.home.AirlockHome;
import dev.airlock.home.Config;
import dev.airlock.policy.CommandAnalyzer;
import dev.airlock.sandbox.SandboxProbe;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "doctor", description = "Check that Airlock can keep its promises here: Java, home, config, SQLite, command analysis, sandbox, "
        + "OS keychain.")
final class DoctorCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    record Check(String name, boolean ok, String detail) {}

    @Override
    public Integer call() {
        Session s = root.session();
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("java", Runtime.version().feature() >= 21, "Java " + Runtime.version()));
        AirlockHome home = s.home();
        checks.add(new Check("home", home.isInitialized(), home.root() + (home.isInitialized() ? "" : " (not initialised: run 'airlock init')")));
        try {
            Config c = s.config();
            checks.add(new Check("config", true, c.file().map(f -> f + " is valid").orElse("no config file; defaults apply")));
        } catch (RuntimeException e) {
            checks.add(new Check("config", false, s.scrub(Cli.oneLine(e.getMessage()))));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
                ResultSet rs = c.createStatement().executeQuery("SELECT sqlite_version()")) {
            checks.add(new Check("sqlite", true, "SQLite " + rs.getString(1)));
        } catch (Exception e) {
            checks.add(new Check("sqlite", false, e.toString()));
        }
        try (CommandAnalyzer a = CommandAnalyzer.create()) {
            int n = a.analyze("echo ok | wc -l", s.workspaceContext()).commands().size();
            checks.add(new Check("command analysis", n == 2, "tree-sitter-bash parses shell lines"));
        } catch (RuntimeException | LinkageError e) {
            checks.add(new Check("command analysis", false, "tree-sitter-bash does not load here: " + e));
        }
        SandboxProbe.Report probe = SandboxProbe.probe(s.env().getOrDefault("PATH", ""));
        checks.add(new Check("sandbox", probe.works(), probe.works()
                ? "bubblewrap " + probe.version() + " at " + probe.executable().map(Object::toString).orElse("?")
                        + " isolates commands (read-only root, private /tmp, no network)"
                : probe.reason() + "; until it works every command asks (or is refused with --non-interactive),"
                        + " unless you turn the sandbox off (sandbox.enabled: false, audited)"));
        java.util.Optional<java.nio.file.Path> socat = dev.airlock.sandbox.Sandbox.locateSocat();
        checks.add(new Check("sandbox network", socat.isPresent(), socat.isPresent()
                ? "socat at " + socat.get() + " bridges a sandboxed command to the gate's egress proxy, its only network"
                : "socat is not on PATH, so a command that needs the network is refused (never given the host's"
                        + " network); install the 'socat' package"));
        checks.add(keychain(s, home));
        boolean all = checks.stream().allMatch(Check::ok);
        if (root.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Check c : checks) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("check", c.name());
                m.put("ok", c.ok());
                m.put("detail", c.detail());
                rows.add(m);
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("ok", all);
            report.put("checks", rows);
            root.cli.out.println(Json.write(report));
        } else {
            for (Check c : checks) {
                root.cli.out.printf("%-4s %-17s %s%n", c.ok() ? "ok" : "FAIL", c.name(), c.detail());
            }
        }
        return all ? 0 : 1;
    }

    /** Optional, so never a failure: whether the OS keychain answers, and whether this tenant uses it. */
    private static Check keychain(Session s, AirlockHome home) {
        String detail;
        try {
            detail = SecretsCommand.KeychainCommand.describe(s.keychain().status());
            if (home.isInitialized() && s.tenants().exists(s.tenantName())) {
                detail += s.vault(s.tenantName()).keychainEnabled() ? "; enabled for tenant '" + s.tenantName() + "'"
                        : "; not enabled for tenant '" + s.tenantName() + "' (the password sources apply)";
            }
        } catch (RuntimeException e) {
            detail = "not checked: " + s.scrub(Cli.oneLine(e.getMessage()));
        }
        return new Check("keychain", true, detail);
    }
}
