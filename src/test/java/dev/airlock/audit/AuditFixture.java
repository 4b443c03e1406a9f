package dev.airlock.audit;

import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * A real tenant database and checkpoint file in a temporary folder, with the tenant's Ed25519
 * signing key: its public half in {@code vault_public_key} as the vault stores it, its private half
 * in a test-only file of the folder so another "process" reopening the folder signs with it too.
 */
final class AuditFixture {
    final Path dir;
    final Path dbFile;
    final Path checkpoints;
    final TenantDb db;
    final PrivateKey privateKey;
    final byte[] publicKey;

    AuditFixture(Path dir) throws IOException {
        this.dir = dir;
        this.dbFile = dir.resolve("airlock.db");
        this.checkpoints = dir.resolve("audit.checkpoints");
        this.db = TenantDb.open(TenantName.of("t"), dbFile, true);
        if (db.meta("log_id").isEmpty()) {
            db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", UUID.randomUUID().toString()));
        }
        AuditLogs.createCheckpointFile(checkpoints);
        Path keyFile = dir.resolve("test-signing.pkcs8");
        try {
            if (!Files.exists(keyFile)) {
                KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                Files.write(keyFile, kp.getPrivate().getEncoded());
                byte[] spki = kp.getPublic().getEncoded();
                byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
                db.jdbi().useHandle(h -> h.execute("INSERT INTO vault_public_key(purpose, algorithm, public_key, created)"
                        + " VALUES ('signing', 'Ed25519', ?, 0)", (Object) raw));
            }
            this.privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.publicKey = db.jdbi().withHandle(h -> h.createQuery("SELECT public_key FROM vault_public_key WHERE purpose = 'signing'")
                .mapTo(byte[].class).one());
    }

    /** Reopens an existing fixture folder (another "process"). */
    static AuditFixture reopen(Path dir) throws IOException {
        return new AuditFixture(dir);
    }

    /** A fixture created as a tenant is: a first row and the first signed checkpoint over it. */
    static AuditFixture created(Path dir) throws IOException {
        AuditFixture f = new AuditFixture(dir);
        try (AuditLog log = f.open(1000)) {
            log.append(AuditEvent.builder("tenant.create").target("tenant:t").build());
            log.checkpoint();
        }
        return f;
    }

    String keyId() {
        return SigningKey.keyId(publicKey);
    }

    CheckpointSigner signer() {
        return new CheckpointSigner() {
            @Override
            public boolean required() {
                return true;
            }

            @Override
            public Optional<String> keyId() {
                return Optional.of(AuditFixture.this.keyId());
            }

            @Override
            public byte[] sign(byte[] message) {
                return AuditFixture.sign(privateKey, message);
            }
        };
    }

    /** Gives {@code db} a fresh signing key (public half in vault_public_key) and returns its signer. */
    static CheckpointSigner newSigner(TenantDb db) {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = kp.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            db.jdbi().useHandle(h -> h.execute("INSERT INTO vault_public_key(purpose, algorithm, public_key, created)"
                    + " VALUES ('signing', 'Ed25519', ?, 0)", (Object) raw));
            String keyId = SigningKey.keyId(raw);
            return new CheckpointSigner() {
                @Override
                public boolean required() {
                    return true;
                }

                @Override
                public Optional<String> keyId() {
                    return Optional.of(keyId);
                }

                @Override
                public byte[] sign(byte[] message) {
                    return AuditFixture.sign(kp.getPrivate(), message);
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    AuditLog open(int checkpointEveryRows) {
        return AuditLogs.open(db, checkpoints, AuditOptions.builder().checkpointEveryRows(checkpointEveryRows)
                .signer(signer()).build());
    }

    /** A writer with no signing key in this process (the vault is locked). */
    AuditLog openLocked(int checkpointEveryRows) {
        CheckpointSigner locked = new CheckpointSigner() {
            @Override
            public boolean required() {
                return true;
            }

            @Override
            public Optional<String> keyId() {
                return Optional.empty();
            }

            @Override
            public byte[] sign(byte[] message) {
                throw new IllegalStateException("locked");
            }
        };
        return AuditLogs.open(db, checkpoints, AuditOptions.builder().checkpointEveryRows(checkpointEveryRows)
                .signer(locked).build());
    }

    VerifyReport verify() {
        return AuditVerifier.verify(db, checkpoints);
    }

    VerifyReport verify(VerifyOptions options) {
        return AuditVerifier.verify(db, checkpoints, options);
    }

    static AuditEvent event(int i) {
        return AuditEvent.builder("test.event").target("item:" + i).detail("i", i).detail("note", "row number " + i).build();
    }
}
