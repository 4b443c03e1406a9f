package dev.airlock.home;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The Airlock home: the one folder that holds all of a user's state.
 *
 * <pre>
 * HOME/
 *   airlock.home              marker with the layout version
 *   logs/airlock.log          the redacted application log
 *   tenants/NAME/airlock.db   one SQLite database per tenant (WAL)
 *   tenants/NAME/audit.checkpoints   the tenant's checkpoints, kept outside the database
 * </pre>
 *
 * <p>Resolution order: an explicit {@code --home}, then {@code AIRLOCK_HOME}, then
 * {@code ${XDG_DATA_HOME:-~/.local/share}/airlock}. Every folder is 0700 and every file 0600.
 */
public final class AirlockHome {
    static final String MARKER = "airlock.home";
    static final String LAYOUT = "airlock-home-layout: 1\n";

    private final Path root;

    private AirlockHome(Path root) {
        this.root = root;
    }

    /** Resolves the home location from an explicit option and the environment; touches nothing. */
    public static AirlockHome locate(Optional<Path> explicit, Map<String, String> env) {
        if (explicit.isPresent()) {
            return new AirlockHome(explicit.get().toAbsolutePath().normalize());
        }
        String fromEnv = env.get("AIRLOCK_HOME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new AirlockHome(Path.of(fromEnv).toAbsolutePath().normalize());
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : userHome(env).resolve(".local/share");
        return new AirlockHome(base.resolve("airlock").toAbsolutePath().normalize());
    }

    /** The user's home folder from {@code HOME}, else the JVM's idea of it. */
    public static Path userHome(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    public Path root() {
        return root;
    }

    public Path tenantsDir() {
        return root.resolve("tenants");
    }

    public Path logsDir() {
        return root.resolve("logs");
    }

    /** True when {@link #initialize()} has completed here. */
    public boolean isInitialized() {
        return Files.isRegularFile(root.resolve(MARKER));
    }

    /**
     * Creates the layout (idempotent). Returns true if the home was created by this call.
     *
     * @throws AirlockException exit 1 when the location cannot be written, exit 2 when it exists
     *     and is not an Airlock home (a non-empty foreign folder is never taken over)
     */
    public boolean initialize() {
        if (isInitialized()) {
            ensureLayout();
            return false;
        }
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw AirlockException.usage("Airlock home " + root + " exists and is not a folder; choose another with --home");
        }
        try {
            if (Files.isDirectory(root)) {
                try (var entries = Files.list(root)) {
                    if (entries.findAny().isPresent()) {
                        throw AirlockException.usage("Airlock home " + root
                                + " is a non-empty folder that is not an Airlock home; choose an empty or new folder with --home");
                    }
                }
            }
            ensureLayout();
            Path marker = root.resolve(MARKER);
            Path tmp = root.resolve(MARKER + ".tmp");
            Files.deleteIfExists(tmp);
            PrivateFiles.createFile(tmp);
            Files.writeString(tmp, LAYOUT);
            Files.move(tmp, marker, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw unwritable(root, e);
        }
    }

    /** Fails with a usage error naming the next step when the home has not been initialised. */
    public AirlockHome requireInitialized() {
        if (!isInitialized()) {
            throw AirlockException.usage("no Airlock home at " + root + "; run 'airlock init' first (or pass --home / set AIRLOCK_HOME)");
        }
        return this;
    }

    private void ensureLayout() {
        try {
            PrivateFiles.createDirectories(root);
            PrivateFiles.createDirectories(tenantsDir());
            PrivateFiles.createDirectories(logsDir());
        } catch (IOException e) {
            throw unwritable(root, e);
        }
    }

    /** A one-line environment error for a path Airlock could not write. */
    public static AirlockException unwritable(Path where, IOException e) {
        String why = switch (e) {
            case AccessDeniedException a -> "permission denied";
            case NoSuchFileException n -> "a parent folder does not exist";
            case FileSystemException f when f.getReason() != null -> f.getReason().toLowerCase(java.util.Locale.ROOT);
            default -> e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        };
        return AirlockException.environment("cannot write to " + where + " (" + why
                + "); check that the folder is writable or choose another home with --home", e);
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
