package dev.airlock.store;

import dev.airlock.home.ExitCode;
import java.util.regex.Pattern;

/**
 * A validated tenant name. Names become folder names, so the rule is deliberately narrow: 1–40
 * characters of lowercase ASCII letters, digits, {@code -} and {@code _}, starting with a letter or a
 * digit. That excludes {@code ..}, separators, hidden names, unicode look-alikes and case clashes on
 * case-insensitive file systems.
 */
public record TenantName(String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    /** The tenant used when no {@code --tenant} is given. */
    public static final TenantName DEFAULT = new TenantName("default");

    public TenantName {
        if (value == null || !VALID.matcher(value).matches()) {
            String shown = value == null ? "null" : value.replaceAll("[^\\x20-\\x7e]", "?");
            if (shown.length() > 60) {
                shown = shown.substring(0, 60) + "…";
            }
            throw new StoreException(ExitCode.USAGE, "invalid tenant name '" + shown
                    + "': use 1-40 lowercase letters, digits, '-' or '_', starting with a letter or digit");
        }
    }

    /** Whether {@code value} is a valid tenant name (nothing is thrown). */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    /** Parses and validates a user-supplied name. */
    public static TenantName of(String value) {
        return new TenantName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
