package dev.airlock.vault;

/**
 * The capability required to read plaintext out of a {@link SecretBytes}, after Tink's
 * {@code InsecureSecretKeyAccess}. It carries no power of its own: it exists so that every place in
 * the code base that reveals a secret is found with one grep for {@code INSECURE_ACCESS}, and so that
 * reviewers can ask of each one why it needs the plaintext.
 */
public final class SecretAccess {
    /** The only instance. Pass it where plaintext is genuinely needed, and nowhere else. */
    public static final SecretAccess INSECURE_ACCESS = new SecretAccess();

    private SecretAccess() {}

    @Override
    public String toString() {
        return "SecretAccess.INSECURE_ACCESS";
    }
}
