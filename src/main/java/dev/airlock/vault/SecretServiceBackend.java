package dev.airlock.vault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The freedesktop.org Secret Service (GNOME Keyring, KeePassXC, KWallet's bridge) through
 * libsecret's {@code secret-tool}: {@code store} reads the secret from stdin, {@code lookup} prints
 * it on stdout, {@code clear} removes every item matching the attributes. The attributes are
 * {@code application=airlock}, {@code airlock-home}, {@code airlock-tenant} and
 * {@code airlock-vault} (the header id); none is secret.
 */
final class SecretServiceBackend implements KeychainBackend {
    static final String TOOL = "secret-tool";
    private final Map<String, String> env;

    SecretServiceBackend(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The tool found on the caller's PATH (a child process would otherwise be looked up on the JVM's). */
    private String tool() {
        return KeychainProcess.find(env, TOOL).map(Object::toString).orElse(TOOL);
    }

    @Override
    public String name() {
        return "Secret Service (secret-tool)";
    }

    @Override
    public Optional<String> unavailableReason() {
        String bus = env.get("DBUS_SESSION_BUS_ADDRESS");
        String runtime = env.get("XDG_RUNTIME_DIR");
        boolean hasBus = (bus != null && !bus.isBlank())
                || (runtime != null && !runtime.isBlank() && Files.exists(Path.of(runtime, "bus")));
        if (!hasBus) {
            return Optional.of("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set, as on a headless server)");
        }
        if (KeychainProcess.find(env, TOOL).isEmpty()) {
            return Optional.of("secret-tool is not installed (Debian and Ubuntu: apt-get install libsecret-tools)");
        }
        try {
            // A lookup that matches nothing: exit 1 and silence when the service answers, an error otherwise.
            KeychainProcess.Result r = KeychainProcess.run(env, List.of(tool(), "lookup", "application", "airlock",
                    "airlock-probe", "1"), null);
            Crypto.wipe(r.stdout);
            if (r.exit == 0 || (r.exit == 1 && r.firstErrorLine().isEmpty())) {
                return Optional.empty();
            }
            return Optional.of("the Secret Service does not answer: " + describe(r));
        } catch (KeychainProcess.Failure e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public Optional<byte[]> lookup(KeychainEntry entry) throws KeychainProcess.Failure {
        List<String> command = new ArrayList<>(List.of(tool(), "lookup"));
        command.addAll(attributes(entry));
        KeychainProcess.Result r = KeychainProcess.run(env, command, null);
        if (r.exit == 0 && r.stdout.length > 0) {
            return Optional.of(r.stdout);
        }
        Crypto.wipe(r.stdout);
        if (r.exit <= 1 && r.firstErrorLine().isEmpty()) {
            return Optional.empty();
        }
        throw new KeychainProcess.Failure("secret-tool lookup failed: " + describe(r));
    }

    @Override
    public void store(KeychainEntry entry, String label, byte[] hexSecret) throws KeychainProcess.Failure {
        remove(entry.home(), entry.tenant());
        List<String> command = new ArrayList<>(List.of(tool(), "store", "--label=" + label));
        command.addAll(attributes(entry));
        KeychainProcess.Result r = KeychainProcess.run(env, command, hexSecret);
        Crypto.wipe(r.stdout);
        if (r.exit != 0) {
            throw new KeychainProcess.Failure("secret-tool store failed: " + describe(r));
        }
    }

    @Override
    public void remove(String home, String tenant) throws KeychainProcess.Failure {
        KeychainProcess.Result r = KeychainProcess.run(env, List.of(tool(), "clear", "application", "airlock",
                "airlock-home", home, "airlock-tenant", tenant), null);
        Crypto.wipe(r.stdout);
        // clear exits 1 without a message when nothing matched.
        if (r.exit != 0 && !(r.exit == 1 && r.firstErrorLine().isEmpty())) {
            throw new KeychainProcess.Failure("secret-tool clear failed: " + describe(r));
        }
    }

    private static List<String> attributes(KeychainEntry entry) {
        return List.of("application", "airlock", "airlock-home", entry.home(), "airlock-tenant", entry.tenant(),
                "airlock-vault", entry.headerId());
    }

    private static String describe(KeychainProcess.Result r) {
        String line = r.firstErrorLine();
        return line.isEmpty() ? "exit status " + r.exit : line;
    }
}
