package dev.airlock.vault;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The macOS login keychain through {@code /usr/bin/security}, as a generic password with service
 * {@code dev.airlock.vault}, account {@code TENANT@HOMEID} (HOMEID: 16 hex digits of SHA-256 of the
 * home path) and generic attribute the header id.
 *
 * <p>Untested here (no macOS in CI); written against the tool's documented behaviour. The key is
 * never an argument: {@code add-generic-password -w} takes the password as an argument, so it is
 * sent as a command line on the stdin of {@code security -i} (interactive mode reads commands from
 * stdin and exits with the status of the last one); {@code find-generic-password -w} prints it on
 * stdout. Exit status 44 means "item not found".
 */
final class MacKeychainBackend implements KeychainBackend {
    static final String TOOL = "security";
    static final String SERVICE = "dev.airlock.vault";
    private static final int NOT_FOUND = 44;
    private final Map<String, String> env;

    MacKeychainBackend(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public String name() {
        return "macOS Keychain (security)";
    }

    private String tool() {
        return KeychainProcess.find(env, TOOL).map(Object::toString).orElse("/usr/bin/security");
    }

    @Override
    public Optional<String> unavailableReason() {
        try {
            KeychainProcess.Result r = KeychainProcess.run(env, List.of(tool(), "find-generic-password", "-s", SERVICE,
                    "-a", "airlock-probe"), null);
            Crypto.wipe(r.stdout);
            if (r.exit == 0 || r.exit == NOT_FOUND) {
                return Optional.empty();
            }
            return Optional.of("the keychain does not answer: " + describe(r));
        } catch (KeychainProcess.Failure e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public Optional<byte[]> lookup(KeychainEntry entry) throws KeychainProcess.Failure {
        KeychainProcess.Result r = KeychainProcess.run(env, List.of(tool(), "find-generic-password", "-s", SERVICE,
                "-a", account(entry.home(), entry.tenant()), "-G", entry.headerId(), "-w"), null);
        if (r.exit == 0 && r.stdout.length > 0) {
            return Optional.of(r.stdout);
        }
        Crypto.wipe(r.stdout);
        if (r.exit == NOT_FOUND) {
            return Optional.empty();
        }
        throw new KeychainProcess.Failure("security find-generic-password failed: " + describe(r));
    }

    @Override
    public void store(KeychainEntry entry, String label, byte[] hexSecret) throws KeychainProcess.Failure {
        remove(entry.home(), entry.tenant());
        byte[] prefix = ("add-generic-password -U -s " + SERVICE + " -a " + account(entry.home(), entry.tenant()) + " -G "
                + entry.headerId() + " -l \"" + label.replace("\\", "").replace("\"", "") + "\" -w ")
                .getBytes(StandardCharsets.UTF_8);
        // One array, filled in place, so that the only copy of the key in it can be wiped.
        byte[] input = new byte[prefix.length + hexSecret.length + 1];
        System.arraycopy(prefix, 0, input, 0, prefix.length);
        System.arraycopy(hexSecret, 0, input, prefix.length, hexSecret.length);
        input[input.length - 1] = '\n';
        try {
            KeychainProcess.Result r = KeychainProcess.run(env, List.of(tool(), "-q", "-i"), input);
            Crypto.wipe(r.stdout);
            if (r.exit != 0) {
                // stderr of interactive mode is not repeated: only its status is reported.
                throw new KeychainProcess.Failure("security add-generic-password failed with status " + r.exit);
            }
        } finally {
            Crypto.wipe(input);
        }
    }

    @Override
    public void remove(String home, String tenant) throws KeychainProcess.Failure {
        // One item per service and account; a second pass finds none.
        for (int i = 0; i < 4; i++) {
            KeychainProcess.Result r = KeychainProcess.run(env, List.of(tool(), "delete-generic-password", "-s", SERVICE,
                    "-a", account(home, tenant)), null);
            Crypto.wipe(r.stdout);
            if (r.exit == NOT_FOUND) {
                return;
            }
            if (r.exit != 0) {
                throw new KeychainProcess.Failure("security delete-generic-password failed: " + describe(r));
            }
        }
    }

    static String account(String home, String tenant) {
        byte[] digest = Crypto.sha256(home.getBytes(StandardCharsets.UTF_8));
        return tenant + "@" + Crypto.hex(digest).substring(0, 16);
    }

    private static String describe(KeychainProcess.Result r) {
        String line = r.firstErrorLine();
        return line.isEmpty() ? "exit status " + r.exit : line;
    }
}
