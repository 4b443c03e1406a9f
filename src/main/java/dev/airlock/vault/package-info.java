/**
 * The tenant's secrets vault, its cryptographic identity and field encryption at rest.
 *
 * <p>Owns: the {@code vault_header}, {@code vault_entry} and {@code vault_public_key} tables
 * ({@code V2__vault.sql}); the key hierarchy (master password → Argon2id or scrypt → key-encryption
 * key → data key → per-purpose keys by HKDF); the secret type {@link dev.airlock.vault.SecretBytes};
 * the password sources and the optional OS keychain unlock source ({@link dev.airlock.vault.Keychain},
 * holding only the key-encryption key); {@code secret:NAME} references; the Ed25519/X25519 identity;
 * {@link dev.airlock.vault.FieldCipher} and {@link dev.airlock.vault.ContentCipher} for content at
 * rest ({@code security:} config). The format is documented in {@code docs/vault.md}.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Secret values and private keys are written only as AES-256-GCM ciphertext whose associated
 *       data binds tenant, name and version; a modified or moved ciphertext fails with exit 3 and is
 *       left in place.</li>
 *   <li>A wrong password fails with exit 7 and changes nothing; a corrupt header fails with exit 3
 *       and is never rewritten.</li>
 *   <li>Every mutation, every reveal and every unlock attempt is recorded in the audit log with the
 *       secret's name and never its value; mutations commit in the same transaction as their audit
 *       row.</li>
 *   <li>No value reaches a {@code toString}, an exception message, a log line or an audit record;
 *       reading plaintext requires {@link dev.airlock.vault.SecretAccess#INSECURE_ACCESS}.</li>
 *   <li>The OS keychain is asked only for tenants that enabled it, never with a key in a process
 *       argument, and never for longer than a bounded wait; any failure falls back to the password.</li>
 *   <li>Content written encrypted is never read as plaintext, and marked plaintext is never read by
 *       an encrypting tenant.</li>
 * </ul>
 */
@NullMarked
package dev.airlock.vault;

import org.jspecify.annotations.NullMarked;
