package dev.airlock.vault;

import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.audit.AuditVerifier;
import dev.airlock.audit.CheckpointSigner;
import dev.airlock.audit.VerifyReport;
import dev.airlock.store.TenantDb;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Verifies a tenant's audit log the way {@code airlock audit verify} does, after sealing it as a
 * process holding the tenant's key does ({@code airlock audit seal}). These vault tests write through
 * audit logs without a signer, whose checkpoints are unsigned, and a log with no signed checkpoint
 * does not verify.
 */
final class SealedAudit {
    private SealedAudit() {}

    static VerifyReport verify(TenantDb db, Path checkpoints, String password) {
        Signer signer = new Signer();
        try (AuditLog log = AuditLogs.open(db, checkpoints, AuditOptions.builder().signer(signer).build())) {
            Vault vault = Vault.builder().tenant(db.tenant().value()).jdbi(db.jdbi()).audit(log).build();
            try (UnlockedVault v = vault.unlock(TestTenant.password(password))) {
                signer.identity = v.identity();
                log.checkpoint();
            }
        }
        return AuditVerifier.verify(db, checkpoints);
    }

    private static final class Signer implements CheckpointSigner {
        volatile Identity identity;

        @Override
        public boolean required() {
            return true;
        }

        @Override
        public Optional<String> keyId() {
            Identity id = identity;
            return id == null ? Optional.empty() : Optional.of(id.publicIdentity().signingFingerprint());
        }

        @Override
        public byte[] sign(byte[] message) {
            return identity.sign(message);
        }
    }
}
