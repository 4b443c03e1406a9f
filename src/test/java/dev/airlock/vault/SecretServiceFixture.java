package dev.airlock.vault;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A real freedesktop.org Secret Service for tests: a private D-Bus session bus (its own config,
 * without service activation, so nothing else is started behind our back) and GNOME Keyring's
 * daemon with an unlocked login keyring in a temporary folder. Needs the Debian packages
 * {@code dbus}, {@code gnome-keyring} and {@code libsecret-tools} ({@code .ci/run} installs them);
 * without them, or if the daemon cannot start, the calling test is skipped with the reason.
 */
public final class SecretServiceFixture implements AutoCloseable {
    private final Path dir;
    private final Process bus;
    private @Nullable Process keyring;
    private final Map<String, String> env = new HashMap<>();

    private SecretServiceFixture(Path dir, Process bus) {
        this.dir = dir;
        this.bus = bus;
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + dir.resolve("bus"));
        env.put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
    }

    /** A bus and a keyring daemon that answers; skips the test if they cannot run here. */
    public static SecretServiceFixture start() {
        SecretServiceFixture f = busOnly();
        try {
            f.startKeyring();
            return f;
        } catch (RuntimeException | Error e) {
            f.close();
            throw e;
        }
    }

    /** A session bus on which nobody provides the Secret Service. */
    public static SecretServiceFixture busOnly() {
        for (String tool : List.of("dbus-daemon", "gnome-keyring-daemon", "secret-tool")) {
            Assumptions.assumeTrue(KeychainProcess.find(System.getenv(), tool).isPresent(),
                    tool + " is not installed; install dbus, gnome-keyring and libsecret-tools (.ci/run does) to run the "
                            + "Secret Service tests");
        }
        try {
            // The system temporary folder, not the build's: a Unix socket path has at most 107 bytes.
            Path dir = Files.createTempDirectory("airlock-ss");
            Files.createDirectories(dir.resolve("run"));
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("home"));
            Files.setPosixFilePermissions(dir.resolve("run"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Path config = dir.resolve("bus.conf");
            Files.writeString(config, """
                    <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                     "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                    <busconfig>
                      <type>session</type>
                      <listen>unix:path=%s</listen>
                      <auth>EXTERNAL</auth>
                      <policy context="default">
                        <allow send_destination="*" eavesdrop="true"/>
                        <allow eavesdrop="true"/>
                        <allow own="*"/>
                      </policy>
                    </busconfig>
                    """.formatted(dir.resolve("bus")));
            Process bus = new ProcessBuilder("dbus-daemon", "--config-file=" + config, "--nofork")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(dir.resolve("bus.err").toFile())
                    .start();
            SecretServiceFixture f = new SecretServiceFixture(dir, bus);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(dir.resolve("bus")) && bus.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!Files.exists(dir.resolve("bus"))) {
                String err = Files.readString(dir.resolve("bus.err"));
                f.close();
                Assumptions.abort("the D-Bus session bus did not start here: " + err.strip());
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void startKeyring() {
        try {
            Map<String, String> daemonEnv = new HashMap<>(env);
            daemonEnv.put("XDG_DATA_HOME", dir.resolve("data").toString());
            daemonEnv.put("HOME", dir.resolve("home").toString());
            ProcessBuilder pb = new ProcessBuilder("gnome-keyring-daemon", "--unlock", "--components=secrets", "--foreground")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(dir.resolve("keyring.err").toFile());
            pb.environment().clear();
            pb.environment().putAll(daemonEnv);
            keyring = pb.start();
            try (OutputStream in = keyring.getOutputStream()) {
                in.write("fixture keyring password".getBytes(StandardCharsets.UTF_8));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            String last = "";
            while (System.nanoTime() < deadline) {
                KeychainProcess.Result r = secretTool(List.of("lookup", "application", "airlock-fixture-probe"), null);
                if (r.exit == 1 && r.firstErrorLine().isEmpty()) {
                    return;
                }
                last = r.firstErrorLine();
                if (!keyring.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
            String err = Files.readString(dir.resolve("keyring.err")).strip();
            Assumptions.abort("GNOME Keyring did not start here (" + last + (err.isEmpty() ? "" : "; " + err) + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a process needs to reach this Secret Service: PATH, DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR. */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** Runs {@code secret-tool ARGS} against this service. */
    public KeychainProcess.Result secretTool(List<String> args, byte @Nullable [] stdin) {
        List<String> command = new ArrayList<>();
        command.add("secret-tool");
        command.addAll(args);
        try {
            return KeychainProcess.run(env, command, stdin);
        } catch (KeychainProcess.Failure e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    /**
     * The stored secret of every Airlock item of the Airlock home {@code home} in this keyring, as
     * text. They are keys: compare them, never print them.
     */
    public List<String> storedAirlockSecrets(String home) {
        KeychainProcess.Result r = secretTool(List.of("search", "--all", "application", "airlock", "airlock-home", home), null);
        List<String> secrets = new ArrayList<>();
        for (String line : new String(r.stdout, StandardCharsets.UTF_8).lines().toList()) {
            if (line.startsWith("secret = ")) {
                secrets.add(line.substring("secret = ".length()));
            }
        }
        return secrets;
    }

    /** Stores {@code text} as the secret of an item with {@code attributes} (name, value, name, value…). */
    public void store(String text, String... attributes) {
        List<String> args = new ArrayList<>(List.of("store", "--label=test"));
        args.addAll(List.of(attributes));
        KeychainProcess.Result r = secretTool(args, text.getBytes(StandardCharsets.UTF_8));
        if (r.exit != 0) {
            throw new IllegalStateException("secret-tool store failed: " + r.firstErrorLine());
        }
    }

    /** Stops the keyring daemon, leaving the bus: the service then no longer answers. */
    public void stopKeyring() {
        if (keyring != null) {
            keyring.destroy();
            try {
                keyring.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        for (Process p : new Process[] {keyring, bus}) {
            if (p != null) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroy();
                try {
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }
}
