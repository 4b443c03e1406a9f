package dev.airlock.cli;

import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;
import dev.airlock.store.TenantName;
import dev.airlock.vault.PasswordSource;
import dev.airlock.vault.SecretAccess;
import dev.airlock.vault.SecretBytes;
import dev.airlock.vault.UnlockedVault;
import dev.airlock.vault.VaultEntry;
import dev.airlock.vault.VaultSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "secrets", description = "Keep API keys and passwords in the tenant's encrypted vault.",
        subcommands = {SecretsCommand.Set.class, SecretsCommand.Get.class, SecretsCommand.ListSecrets.class,
            SecretsCommand.Remove.class, SecretsCommand.Passwd.class, SecretsCommand.KeychainCommand.class,
            SecretsCommand.FieldKey.class})
final class SecretsCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() {
        root.cli.err.println("airlock: secrets needs a subcommand: set, get, list, rm, passwd, keychain or field-key. Try 'airlock secrets --help'.");
        return ExitCode.USAGE.code();
    }

    @Command(name = "set", description = "Store a secret. The value is read from a no-echo prompt, or from stdin with --stdin.")
    static final class Set implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE",
                description = "Discouraged: visible in shell history and process lists. Use the prompt or --stdin.")
        @Nullable String value;

        @Option(names = "--stdin", description = "Read the value from standard input (one trailing newline is dropped).")
        boolean stdin;

        @Override
        public Integer call() throws IOException {
            Session s = parent.root.session();
            TenantName t = s.tenantName();
            if (value != null && stdin) {
                throw AirlockException.usage("give the value either as an argument or with --stdin, not both");
            }
            SecretBytes secret;
            if (value != null) {
                parent.root.cli.err.println("warning: a secret given on the command line is visible in shell history and"
                        + " process lists; prefer the prompt or --stdin");
                secret = SecretBytes.fromChars(value.toCharArray());
            } else if (stdin) {
                byte[] raw = parent.root.cli.in.readNBytes(1024 * 1024 + 2);
                int n = raw.length;
                if (n > 0 && raw[n - 1] == '\n') {
                    n--;
                    if (n > 0 && raw[n - 1] == '\r') {
                        n--;
                    }
                }
                byte[] trimmed = Arrays.copyOf(raw, n);
                secret = SecretBytes.copyOf(trimmed);
                Arrays.fill(trimmed, (byte) 0);
                Arrays.fill(raw, (byte) 0);
            } else {
                char[] typed = s.prompt().readPassword("Value for " + name + ": ");
                secret = SecretBytes.fromChars(typed);
                Arrays.fill(typed, '\0');
            }
            try (secret) {
                s.unlock(t).set(name, secret);
            }
            parent.root.cli.err.println("Stored secret '" + name + "' in the vault of tenant '" + t + "'.");
            return 0;
        }
    }

    @Command(name = "get", description = "Show a secret's metadata, masked; --reveal prints the value (audited).")
    static final class Get implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--reveal", description = "Print the value to stdout. Recorded in the audit log.")
        boolean reveal;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            TenantName t = s.tenantName();
            VaultEntry entry = s.vault(t).list().stream().filter(e -> e.name().equals(name) && !e.internal()).findFirst()
                    .orElseThrow(() -> AirlockException.usage("tenant '" + t + "' has no secret named '" + name
                            + "'; see 'airlock secrets list'"));
            if (!reveal) {
                parent.root.cli.out.println(name + " = ******** (version " + entry.version() + ", updated " + entry.updated()
                        + "; use --reveal to print it)");
                return 0;
            }
            try (SecretBytes v = s.unlock(t).get(name)) {
                byte[] plain = v.toByteArray(SecretAccess.INSECURE_ACCESS);
                try {
                    // Deliberately unredacted: printing the value is what --reveal asks for, and it is audited.
                    parent.root.cli.out.println(new String(plain, StandardCharsets.UTF_8));
                    parent.root.cli.out.flush();
                } finally {
                    Arrays.fill(plain, (byte) 0);
                }
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List secret names, versions and times (never values).")
    static final class ListSecrets implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (VaultEntry e : s.vault(s.tenantName()).list()) {
                if (e.internal()) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", e.name());
                m.put("version", e.version());
                m.put("created", e.created().toString());
                m.put("updated", e.updated().toString());
                rows.add(m);
            }
            if (parent.root.json) {
                parent.root.cli.out.println(Json.write(rows));
            } else if (rows.isEmpty()) {
                parent.root.cli.err.println("No secrets in tenant '" + s.tenantName() + "'. Add one with 'airlock secrets set NAME'.");
            } else {
                rows.forEach(r -> parent.root.cli.out.printf("%-32s v%-4s updated %s%n", r.get("name"), r.get("version"), r.get("updated")));
            }
            return 0;
        }
    }

    @Command(name = "rm", description = "Delete a secret.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            s.unlock(s.tenantName()).remove(name);
            parent.root.cli.err.println("Removed secret '" + name + "' from tenant '" + s.tenantName() + "'.");
            return 0;
        }
    }

    @Command(name = "passwd", description = "Change the vault password (re-wraps the data key; values are not re-encrypted).")
    static final class Passwd implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;

        @Option(names = "--new-password-file", paramLabel = "FILE",
                description = "Read the new password from FILE instead of prompting twice.")
        @Nullable Path newPasswordFile;

        @Override
        public Integer call() throws IOException {
            Session s = parent.root.session();
            UnlockedVault u = s.unlock(s.tenantName());
            char[] next;
            if (newPasswordFile != null) {
                next = PasswordSource.read(Map.of(PasswordSource.FILE_ENV, newPasswordFile.toString()), s.prompt());
            } else {
                next = PasswordSource.readNew(Map.of(), s.prompt());
            }
            boolean keychain = s.vault(s.tenantName()).keychainEnabled();
            u.changePassword(next, s.config().section("vault", VaultSettings.class).params(), s.keychain());
            parent.root.cli.err.println("Changed the vault password of tenant '" + s.tenantName() + "'.");
            if (keychain && s.vault(s.tenantName()).keychainEnabled()) {
                parent.root.cli.err.println("Updated the key in the " + s.keychain().backendName() + " too.");
            } else if (keychain) {
                parent.root.cli.err.println("warning: the OS keychain could not take the new key (" + s.keychain().status().detail()
                        + "), so keychain unlock is now off for tenant '" + s.tenantName() + "'; run 'airlock secrets keychain"
                        + " enable' where the keychain works");
            }
            return 0;
        }
    }

    @Command(name = "field-key", description = "Print the tenant's content encryption key (base64) for unattended "
            + "services: put it in AIRLOCK_ENC_KEY (or security.encryption.key_env). It opens content fields only, not the "
            + "vault. Audited.")
    static final class FieldKey implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            try (SecretBytes key = s.unlock(s.tenantName()).exportFieldKey()) {
                byte[] raw = key.toByteArray(SecretAccess.INSECURE_ACCESS);
                byte[] encoded = java.util.Base64.getEncoder().encode(raw);
                try {
                    // Deliberately unredacted: printing the key is what this command is for, and it is audited.
                    parent.root.cli.out.println(new String(encoded, StandardCharsets.US_ASCII));
                    parent.root.cli.out.flush();
                } finally {
                    Arrays.fill(raw, (byte) 0);
                    Arrays.fill(encoded, (byte) 0);
                }
            }
            parent.root.cli.err.println("This key decrypts every content field of tenant '" + s.tenantName() + "'; keep it "
                    + "like a password.");
            return 0;
        }
    }

    @Command(name = "keychain", description = "Unlock this tenant from the OS keychain instead of asking for the password "
            + "(optional; off until enabled).",
            subcommands = {KeychainCommand.Enable.class, KeychainCommand.Disable.class, KeychainCommand.Status.class})
    static final class KeychainCommand implements Callable<Integer> {
        @ParentCommand
        SecretsCommand parent;

        @Override
        public Integer call() {
            parent.root.cli.err.println("airlock: secrets keychain needs a subcommand: enable, disable or status. Try 'airlock "
                    + "secrets keychain --help'.");
            return ExitCode.USAGE.code();
        }

        @Command(name = "enable", description = "Ask for the vault password once and keep the key it unlocks (not the "
                + "password) in the OS keychain; later unlocks use it. Audited.")
        static final class Enable implements Callable<Integer> {
            @ParentCommand
            KeychainCommand parent;

            @Override
            public Integer call() {
                Session s = parent.parent.root.session();
                TenantName t = s.tenantName();
                dev.airlock.vault.Keychain keychain = s.keychain();
                s.vault(t).enableKeychain(PasswordSource.read(s.env(), s.prompt()), keychain).close();
                parent.parent.root.cli.err.println("Tenant '" + t + "' now unlocks from the " + keychain.backendName()
                        + " without the password; the password still works. Undo with 'airlock secrets keychain disable'.");
                return 0;
            }
        }

        @Command(name = "disable", description = "Stop unlocking from the OS keychain and remove the key from it. Audited.")
        static final class Disable implements Callable<Integer> {
            @ParentCommand
            KeychainCommand parent;

            @Override
            public Integer call() {
                Session s = parent.parent.root.session();
                TenantName t = s.tenantName();
                java.util.Optional<String> problem = s.vault(t).disableKeychain(s.keychain());
                parent.parent.root.cli.err.println("Tenant '" + t + "' no longer unlocks from the OS keychain.");
                problem.ifPresent(p -> parent.parent.root.cli.err.println("warning: its key may still be in the keychain ("
                        + p + "); run this command again where the keychain is reachable to remove it"));
                return 0;
            }
        }

        @Command(name = "status", description = "Whether the OS keychain is available here and this tenant unlocks from it.")
        static final class Status implements Callable<Integer> {
            @ParentCommand
            KeychainCommand parent;

            @Override
            public Integer call() {
                Session s = parent.parent.root.session();
                TenantName t = s.tenantName();
                boolean enabled = s.vault(t).keychainEnabled();
                dev.airlock.vault.Keychain.Status st = s.keychain().status();
                if (parent.parent.root.json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("tenant", t.value());
                    m.put("enabled", enabled);
                    m.put("state", st.state().name().toLowerCase(java.util.Locale.ROOT));
                    m.put("backend", st.backend());
                    m.put("detail", st.detail());
                    parent.parent.root.cli.out.println(Json.write(m));
                } else {
                    parent.parent.root.cli.out.println(describe(st) + "; tenant '" + t + "': " + (enabled
                            ? "unlocks from the keychain" : "keychain unlock off (enable with 'airlock secrets keychain enable')"));
                }
                return 0;
            }
        }

        /** "available (Secret Service (secret-tool))", "unavailable: reason", "off: reason". */
        static String describe(dev.airlock.vault.Keychain.Status st) {
            return switch (st.state()) {
                case AVAILABLE -> "available (" + st.backend() + ")";
                case UNAVAILABLE -> "unavailable: " + st.detail();
                case OFF -> "off: " + st.detail();
            };
        }
    }
}
