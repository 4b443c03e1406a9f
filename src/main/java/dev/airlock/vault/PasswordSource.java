package dev.airlock.vault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Where the vault password comes from, in the order restic uses and DESIGN.md prescribes:
 * <ol>
 *   <li>{@code AIRLOCK_PASSWORD_FILE}: the first line of that file;</li>
 *   <li>{@code AIRLOCK_PASSWORD_COMMAND}: the first line a command prints (run with {@code sh -c},
 *       stderr and stdin left to the terminal so tools like {@code pass} or {@code gpg} can ask);</li>
 *   <li>{@code AIRLOCK_PASSWORD}: the least safe, since the environment of a process can be read by
 *       other processes of the same user and lands in crash reports;</li>
 *   <li>otherwise a no-echo prompt.</li>
 * </ol>
 * The environment is passed in, never read from {@code System.getenv} here. Setting both the file
 * and the command is refused (exit 2), as restic does, because the intent is ambiguous.
 */
public final class PasswordSource {
    public static final String FILE_ENV = "AIRLOCK_PASSWORD_FILE";
    public static final String COMMAND_ENV = "AIRLOCK_PASSWORD_COMMAND";
    public static final String PASSWORD_ENV = "AIRLOCK_PASSWORD";
    static final long COMMAND_TIMEOUT_SECONDS = 120;
    private static final int MAX_BYTES = 64 * 1024;

    private PasswordSource() {}

    /**
     * The password to unlock an existing vault. The caller clears the returned array (the vault
     * methods do it for you).
     *
     * @throws VaultException exit 2 for an unreadable file or ambiguous sources; exit 7 when a
     *     command fails or no source and no terminal are available
     */
    public static char[] read(Map<String, String> env, PasswordPrompt prompt) {
        char @Nullable [] fromEnv = fromEnvironment(env);
        return fromEnv != null ? fromEnv : prompt.readPassword("Vault password: ");
    }

    /**
     * A new password (init, passwd): from the same sources, but a prompt asks twice and refuses a
     * mismatch (exit 2) or an empty password (exit 2).
     */
    public static char[] readNew(Map<String, String> env, PasswordPrompt prompt) {
        char @Nullable [] fromEnv = fromEnvironment(env);
        if (fromEnv != null) {
            return requireNonEmpty(fromEnv);
        }
        char[] first = prompt.readPassword("New vault password: ");
        char[] second = prompt.readPassword("Repeat the new vault password: ");
        try {
            if (!Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw VaultException.usage("the two passwords differ; nothing was changed, try again");
            }
            return requireNonEmpty(first);
        } finally {
            Arrays.fill(second, '\0');
        }
    }

    /** Which source {@link #read} will use, for messages: a variable name or "prompt". */
    public static String describe(Map<String, String> env) {
        for (String name : new String[] {FILE_ENV, COMMAND_ENV, PASSWORD_ENV}) {
            if (isSet(env, name)) {
                return name;
            }
        }
        return "prompt";
    }

    private static char[] requireNonEmpty(char[] password) {
        if (password.length == 0) {
            throw VaultException.usage("the vault password is empty; choose a non-empty password");
        }
        return password;
    }

    private static char @Nullable [] fromEnvironment(Map<String, String> env) {
        if (isSet(env, FILE_ENV) && isSet(env, COMMAND_ENV)) {
            throw VaultException.usage(FILE_ENV + " and " + COMMAND_ENV + " are both set; unset one of them");
        }
        if (isSet(env, FILE_ENV)) {
            return fromFile(Path.of(env.get(FILE_ENV)));
        }
        if (isSet(env, COMMAND_ENV)) {
            return fromCommand(env.get(COMMAND_ENV));
        }
        if (isSet(env, PASSWORD_ENV)) {
            return env.get(PASSWORD_ENV).toCharArray();
        }
        return null;
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isEmpty();
    }

    private static char[] fromFile(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw VaultException.usage("the password file named by " + FILE_ENV + " (" + file + ") is larger than 64 KiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw VaultException.usage("cannot read the password file named by " + FILE_ENV + " (" + file
                    + "): " + e.getClass().getSimpleName() + "; check the path and its permissions");
        }
        return firstLine(bytes, FILE_ENV);
    }

    private static char[] fromCommand(String command) {
        Process process;
        try {
            process = new ProcessBuilder("sh", "-c", command)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw VaultException.runtime("cannot start the command in " + COMMAND_ENV + "; check that 'sh' is on the PATH", e);
        }
        byte[] out;
        try (InputStream stdout = process.getInputStream()) {
            out = readBounded(stdout);
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                Crypto.wipe(out);
                throw VaultException.auth("the command in " + COMMAND_ENV + " did not finish within "
                        + COMMAND_TIMEOUT_SECONDS + " s; the vault stays locked");
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw VaultException.runtime("cannot read the output of the command in " + COMMAND_ENV, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw VaultException.auth("interrupted while waiting for the command in " + COMMAND_ENV);
        }
        if (process.exitValue() != 0) {
            Crypto.wipe(out);
            throw VaultException.auth("the command in " + COMMAND_ENV + " exited with status " + process.exitValue()
                    + "; the vault stays locked");
        }
        return firstLine(out, COMMAND_ENV);
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = in.read(chunk)) != -1) {
            if (buffer.size() + n > MAX_BYTES) {
                throw new IOException("more than 64 KiB of output");
            }
            buffer.write(chunk, 0, n);
        }
        Crypto.wipe(chunk);
        return buffer.toByteArray();
    }

    /** The UTF-8 text up to the first line break; all intermediate buffers are wiped. */
    private static char[] firstLine(byte[] bytes, String source) {
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
            end++;
        }
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, end));
        } catch (CharacterCodingException e) {
            throw VaultException.usage("the password from " + source + " is not valid UTF-8");
        } finally {
            Crypto.wipe(bytes);
        }
        char[] password = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
        Arrays.fill(chars.array(), '\0');
        if (password.length == 0) {
            throw VaultException.usage("the password from " + source + " is empty");
        }
        return password;
    }
}
