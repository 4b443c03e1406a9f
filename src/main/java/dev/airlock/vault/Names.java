package dev.airlock.vault;

import java.util.regex.Pattern;

/** Secret names: validated before they reach SQL, associated data or a message. */
final class Names {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
    /** Prefix of entries Airlock manages itself (identity private keys). */
    static final String RESERVED_PREFIX = "airlock.";
    static final String SIGNING_KEY = RESERVED_PREFIX + "identity.ed25519";
    static final String AGREEMENT_KEY = RESERVED_PREFIX + "identity.x25519";

    private Names() {}

    /**
     * Checks the syntax. An invalid name is not echoed back: a value pasted where a name belongs
     * must not end up in an error message.
     */
    static String check(String name) {
        if (!NAME.matcher(name).matches()) {
            throw VaultException.usage("invalid secret name: a name starts with a letter or '_', continues with letters, "
                    + "digits, '_', '.' or '-', and has at most 128 characters");
        }
        return name;
    }

    /** Checks the syntax and refuses Airlock's own entries. */
    static String checkUser(String name) {
        check(name);
        if (isReserved(name)) {
            throw VaultException.usage("secret name '" + name + "' is reserved: names starting with '" + RESERVED_PREFIX
                    + "' hold Airlock's own keys; choose another name");
        }
        return name;
    }

    static boolean isReserved(String name) {
        return name.startsWith(RESERVED_PREFIX);
    }
}
