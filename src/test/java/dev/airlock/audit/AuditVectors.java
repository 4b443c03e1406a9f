package dev.airlock.audit;

import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The test vectors shipped under {@code docs/audit-vectors/}: one small log written by the real
 * {@link AuditWriter} with a fixed log id, clock and Ed25519 key, and one mutated copy per tamper
 * class with the verdict a verifier must give. {@code AuditVectorsTest} regenerates them on every
 * run and fails if the shipped files differ, so they cannot rot.
 *
 * <p>The base log (checkpoint every 4 rows, every 10 minutes): row 1 {@code tenant.create}, row 2
 * the tenant's first checkpoint (signed at creation), rows 3–6 events and row 7 a checkpoint, rows
 * 8–11 and 12, rows 13–16 and 17, row 18 and the closing checkpoint 19. Checkpoints: 2, 7, 12, 17,
 * 19. The witness file saw the same five lines.
 */
final class AuditVectors {
    static final String LOG_ID = "6f1c2a9e-3b7d-4c5e-9a10-2d4e6f8a0b1c";
    static final long T0 = 1_796_000_000_000L; // 2026-11-30T01:33:20Z
    static final long STEP = 30_000;
    static final int EVERY_ROWS = 4;
    static final int EVERY_MINUTES = 10;
    /** Seeds of the tenant's key and of an attacker's key (RFC 8032 private keys are 32 random bytes). */
    static final byte[] TENANT_SEED = seed("airlock audit vectors: tenant key");
    static final byte[] ATTACKER_SEED = seed("airlock audit vectors: attacker key");

    /** A tamper class: the mutated log, the verifier's inputs and the verdict. */
    record Vector(String name, String description, VectorLog log, long now, int everyRows, int everyMinutes,
            @Nullable String fingerprint, boolean witness, String kind, long seq) {
        boolean intact() {
            return kind.equals("intact");
        }

        String expectedJson() {
            return "{\"description\":" + str(description) + ",\"every_minutes\":" + everyMinutes + ",\"every_rows\":"
                    + everyRows + ",\"fingerprint\":" + (fingerprint == null ? "null" : str(fingerprint)) + ",\"kind\":"
                    + str(kind) + ",\"now\":" + now + ",\"seq\":" + seq + ",\"verdict\":" + str(intact() ? "intact" : "broken")
                    + ",\"witness\":" + witness + "}\n";
        }

        Map<String, byte[]> files() {
            Map<String, byte[]> f = new java.util.TreeMap<>(log.files());
            f.put("expected.json", expectedJson().getBytes(StandardCharsets.UTF_8));
            return f;
        }
    }

    private AuditVectors() {}

    // ------------------------------------------------------------------ keys

    static KeyPair keyPair(byte[] seed) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            });
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] rawPublic(KeyPair kp) {
        byte[] spki = kp.getPublic().getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    private static byte[] seed(String label) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A checkpoint signed with {@code kp}, as the writer makes it. */
    static Checkpoint signed(KeyPair kp, long seq, String hash, long time) {
        Checkpoint u = new Checkpoint(LOG_ID, seq, hash, time, null, null);
        String sig = Base64.getEncoder().encodeToString(AuditFixture.sign(kp.getPrivate(), u.signedBytes()));
        return new Checkpoint(LOG_ID, seq, hash, time, SigningKey.keyId(rawPublic(kp)), sig);
    }

    // ------------------------------------------------------------------ the base log

    /** A clock the generator moves by hand. */
    static final class StepClock extends Clock {
        volatile long millis;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    /** Writes the base log with the real writer into {@code dir} and reads it back. */
    static VectorLog base(Path dir) throws Exception {
        KeyPair kp = keyPair(TENANT_SEED);
        byte[] raw = rawPublic(kp);
        TenantDb db = TenantDb.open(TenantName.of("vectors"), dir.resolve("airlock.db"), true);
        db.jdbi().useHandle(h -> {
            h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", LOG_ID);
            h.execute("INSERT INTO vault_public_key(purpose, algorithm, public_key, created) VALUES ('signing', 'Ed25519', ?, ?)",
                    raw, T0);
        });
        Path cpFile = dir.resolve("audit.checkpoints");
        Path witness = dir.resolve("witness.checkpoints");
        AuditLogs.createCheckpointFile(cpFile);
        StepClock clock = new StepClock();
        CheckpointSigner signer = new CheckpointSigner() {
            @Override
            public boolean required() {
                return true;
            }

            @Override
            public Optional<String> keyId() {
                return Optional.of(SigningKey.keyId(raw));
            }

            @Override
            public byte[] sign(byte[] message) {
                return AuditFixture.sign(kp.getPrivate(), message);
            }
        };
        AuditOptions options = AuditOptions.builder().checkpointEveryRows(EVERY_ROWS)
                .checkpointInterval(java.time.Duration.ofMinutes(EVERY_MINUTES)).clock(clock).signer(signer)
                .witness(witness.toString()).build();
        List<AuditEvent> events = events();
        try (AuditLog log = AuditLogs.open(db, cpFile, options)) {
            clock.millis = T0;
            log.append(events.get(0));
            log.checkpoint(); // the tenant's first checkpoint, as at creation
            for (int i = 1; i < events.size(); i++) {
                clock.millis = T0 + STEP * (i + 1);
                log.append(events.get(i));
                if (i == events.size() - 1) {
                    clock.millis += STEP;
                }
            }
        }
        VectorLog v = new VectorLog();
        v.logId = LOG_ID;
        v.key = new VectorLog.KeyRow("Ed25519", raw);
        AuditReader.of(db).forEach(1, Long.MIN_VALUE, r -> v.rows.add(new VectorLog.Row(r.seq(), r.time(), r.actor(),
                r.action(), r.target(), r.outcome(), r.details(), r.prevHash(), r.hash())));
        db.jdbi().useHandle(h -> h.createQuery("SELECT seq, time, hash, key_id, signature FROM audit_checkpoint ORDER BY seq")
                .map((rs, ctx) -> new VectorLog.Cp(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5))).forEach(v.table::add));
        v.file = java.nio.file.Files.readAllBytes(cpFile);
        v.witness = java.nio.file.Files.readAllBytes(witness);
        db.close();
        return v;
    }

    private static List<AuditEvent> events() {
        List<AuditEvent> e = new ArrayList<>();
        e.add(AuditEvent.builder("tenant.create").actor("user").target("tenant:vectors").detail("log_id", LOG_ID).build());
        e.add(AuditEvent.builder("config.change").actor("user").target("config").detail("sha256", "none").build());
        e.add(AuditEvent.builder("vault.create").actor("user").target("vault:vectors").detail("tenant", "vectors").build());
        e.add(AuditEvent.builder("tool.exec").actor("agent:coder").target("file:a \"quoted\"\nline\ttab\\")
                .detail("command", "ls -la").detail("exit", 0).build());
        e.add(AuditEvent.builder("chat.message").actor("agent:coder").target("tenant:é✓日本😀")
                .detail("text", "ctrl \u0001 back \\ slash / </script> \u2028").detail("ratio", 1.5).detail("big", 1e21)
                .detail("nested", Map.of("z", List.of(1, "two", true), "a", Map.of())).build());
        for (int i = 6; i <= 14; i++) {
            e.add(AuditEvent.builder(i % 3 == 0 ? "policy.decide" : "tool.read").actor("agent:coder")
                    .target("file:src/Main" + i + ".java").outcome(i % 4 == 0 ? "denied" : "success")
                    .detail("i", i).build());
        }
        return e;
    }

    // ------------------------------------------------------------------ the tamper classes

    static List<Vector> all(Path work) throws Exception {
        VectorLog base = base(work);
        long last = base.rows.get(base.rows.size() - 1).time;
        long now = last + 5 * 60_000;
        KeyPair attacker = keyPair(ATTACKER_SEED);
        KeyPair tenant = keyPair(TENANT_SEED);
        String tenantFp = SigningKey.keyId(rawPublic(tenant));
        String attackerFp = SigningKey.keyId(rawPublic(attacker));
        List<Vector> out = new ArrayList<>();
        Builder b = new Builder(base, now, out);

        b.add("intact", "the log as written", v -> { }, "intact", 0);
        b.pinned("intact-pinned-key", "the log as written, verified with its key's fingerprint pinned", tenantFp, v -> { },
                "intact", 0);
        b.witnessed("intact-witnessed", "the log as written, verified against its witness file", v -> { }, "intact", 0);
        // rows edited
        b.add("row-details-edited", "row 8's details edited", v -> v.row(8).details = "{\"i\":999}", "row-edited", 8);
        b.add("row-actor-edited", "row 3's actor edited", v -> v.row(3).actor = "admin", "row-edited", 3);
        b.add("row-time-edited", "row 10's time moved by 1 ms", v -> v.row(10).time += 1, "row-edited", 10);
        b.add("row-target-unicode-edited", "one character of row 6's non-ASCII target replaced",
                v -> v.row(6).target = v.row(6).target.replace("日", "月"), "row-edited", 6);
        b.add("first-row-outcome-edited", "row 1's outcome edited", v -> v.row(1).outcome = "failure", "row-edited", 1);
        b.add("row-hash-garbage", "row 9's hash replaced by text that is not hex", v -> v.row(9).hash = "not-a-hash",
                "row-edited", 9);
        b.add("row-hash-uppercase", "row 9's hash written in uppercase hex", v -> v.row(9).hash = v.row(9).hash.toUpperCase(),
                "row-edited", 9);
        b.add("row-details-not-canonical", "row 5's details re-spaced (same JSON value, other bytes)",
                v -> v.row(5).details = v.row(5).details.replace(",", ", "), "row-edited", 5);
        b.add("row-edited-and-rehashed", "row 8 edited and its own hash recomputed", v -> {
            v.row(8).details = "{\"i\":999}";
            v.row(8).rehash();
        }, "chain-broken", 9);
        // rows deleted
        b.add("row-deleted", "row 11 deleted", v -> v.rows.remove(v.row(11)), "row-deleted", 11);
        b.add("first-row-deleted", "row 1 deleted", v -> v.rows.remove(v.row(1)), "row-deleted", 1);
        b.add("rows-deleted", "rows 5 and 6 deleted", v -> v.rows.removeIf(r -> r.seq == 5 || r.seq == 6), "row-deleted", 5);
        b.add("row-deleted-and-renumbered", "row 11 deleted and the rows after it renumbered and re-linked", v -> {
            v.rows.remove(v.row(11));
            v.rows.stream().filter(r -> r.seq > 11).forEach(r -> r.seq--);
            v.row(11).prevHash = v.row(10).hash;
        }, "row-edited", 11);
        // rows inserted
        b.add("row-inserted", "a forged row inserted after row 5, later rows renumbered and re-linked", v -> {
            v.rows.stream().filter(r -> r.seq > 5).forEach(r -> r.seq++);
            VectorLog.Row forged = new VectorLog.Row(6, v.row(5).time, "user", "forged.action", "x", "success",
                    "{\"forged\":true}", v.row(5).hash, "");
            forged.rehash();
            v.rows.add(5, forged);
            v.row(7).prevHash = forged.hash;
        }, "row-edited", 7);
        b.add("row-appended-young", "a well-chained row appended after the last checkpoint, younger than the interval"
                + " (not detectable within one cadence: rows after the last signed checkpoint are protected by the chain only)", v -> append(v, now - 60_000),
                "intact", 0);
        b.custom("row-appended-old", "a well-chained row appended after the last checkpoint, verified when it is older"
                + " than the interval and its grace (15 minutes)", v -> append(v, last), last + 15 * 60_000, EVERY_ROWS, null,
                false, "rows-uncovered", 20);
        b.add("rows-appended-past-cadence", "four well-chained young rows appended after the last checkpoint (a checkpoint"
                + " is due every 4 rows)", v -> {
                    for (int i = 0; i < 4; i++) {
                        append(v, now - 60_000);
                    }
                }, "rows-uncovered", 20);
        // reordered
        b.add("rows-swapped", "rows 13 and 14 swapped", v -> {
            v.row(13).seq = -1;
            v.row(14).seq = 13;
            v.row(-1).seq = 14;
            v.rows.sort(java.util.Comparator.comparingLong(r -> r.seq));
        }, "row-edited", 13);
        // tail and rollback
        b.add("tail-truncated", "rows after row 15 deleted", v -> v.rows.removeIf(r -> r.seq > 15), "tail-truncated", 16);
        b.add("last-row-deleted", "the last row (the closing checkpoint's) deleted", v -> v.rows.removeIf(r -> r.seq == 19),
                "tail-truncated", 19);
        b.add("older-database-restored", "the database restored from a copy taken after row 12; the checkpoint file kept",
                v -> {
                    v.rows.removeIf(r -> r.seq > 12);
                    v.table.removeIf(c -> c.seq > 12);
                }, "tail-truncated", 13);
        Consumer<VectorLog> olderCopy = v -> {
            v.rows.removeIf(r -> r.seq > 12);
            v.table.removeIf(c -> c.seq > 12);
            List<String> lines = v.fileLines();
            v.fileLines(lines.subList(0, 3));
        };
        b.add("older-copy-restored", "database and checkpoint file both restored from a consistent older copy (row 12):"
                + " only a witness shows it", olderCopy, "intact", 0);
        b.witnessed("older-copy-restored-witnessed", "database and checkpoint file both restored from a consistent older"
                + " copy, verified against the witness", olderCopy, "witness-rollback", 13);
        // chain recomputed
        b.add("chain-recomputed", "row 4 edited and the chain recomputed from it", v -> {
            v.row(4).details = "{\"tenant\":\"other\"}";
            v.rechain(4);
        }, "checkpoint-mismatch", 7);
        b.add("chain-and-table-recomputed", "chain recomputed from row 4 and the table's checkpoint hashes updated", v -> {
            v.row(4).details = "{\"tenant\":\"other\"}";
            v.rechain(4);
            v.table.forEach(c -> c.hash = v.row(c.seq).hash);
        }, "checkpoint-mismatch", 7);
        b.add("chain-and-checkpoints-recomputed-old-signatures", "chain recomputed from row 4, table and file rewritten with"
                + " the new hashes and the old signatures", v -> {
                    v.row(4).details = "{\"tenant\":\"other\"}";
                    v.rechain(4);
                    v.checkpoints(v.table.stream().map(c -> new Checkpoint(LOG_ID, c.seq, v.row(c.seq).hash, c.time, c.keyId,
                            c.signature)).toList());
                }, "checkpoint-signature-invalid", 7);
        b.add("chain-and-checkpoints-recomputed-unsigned", "chain recomputed from row 4, checkpoints re-made unsigned", v -> {
            v.row(4).details = "{\"tenant\":\"other\"}";
            v.rechain(4);
            v.checkpoints(v.table.stream().map(c -> c.seq < 4 ? new Checkpoint(LOG_ID, c.seq, c.hash, c.time, c.keyId,
                    c.signature) : new Checkpoint(LOG_ID, c.seq, v.row(c.seq).hash, c.time, null, null)).toList());
        }, "checkpoint-signature-missing", 7);
        b.add("chain-recomputed-all-checkpoints-unsigned", "chain recomputed from row 1, every checkpoint re-made unsigned",
                v -> {
                    v.row(1).details = "{\"log_id\":\"other\"}";
                    v.rechain(1);
                    v.checkpoints(v.table.stream().map(c -> new Checkpoint(LOG_ID, c.seq, v.row(c.seq).hash, c.time, null,
                            null)).toList());
                }, "rows-uncovered", 1);
        b.add("chain-recomputed-no-checkpoints", "row 3 edited, chain recomputed, every checkpoint deleted from table and"
                + " file", v -> {
                    v.row(3).details = "{\"sha256\":\"forged\"}";
                    v.rechain(3);
                    v.checkpoints(List.of());
                }, "rows-uncovered", 1);
        b.add("all-checkpoints-deleted", "every checkpoint deleted from table and file, rows untouched",
                v -> v.checkpoints(List.of()), "rows-uncovered", 1);
        b.custom("all-checkpoints-deleted-time-rule", "every checkpoint deleted; a cadence of 1,000 rows, so the time rule"
                + " decides (rows older than 10 minutes + 1 minute of grace)", v -> v.checkpoints(List.of()),
                now + 60 * 60_000, 1000, null, false, "rows-uncovered", 1);
        b.custom("all-checkpoints-deleted-young", "every checkpoint deleted while the rows are young and fewer than the"
                + " cadence: still a failure, a log with rows has a signed checkpoint from its creation",
                v -> v.checkpoints(List.of()), last + 60_000, 1000, null, false, "rows-uncovered", 1);
        b.custom("all-checkpoints-deleted-key-deleted-young", "every checkpoint and the key row deleted, chain recomputed,"
                + " rows young", v -> {
                    v.checkpoints(List.of());
                    v.key = null;
                    v.row(3).details = "{\"sha256\":\"forged\"}";
                    v.rechain(3);
                }, last + 60_000, 1000, null, false, "rows-uncovered", 1);
        b.custom("all-checkpoints-unsigned-young", "chain recomputed from row 3 and every checkpoint re-made unsigned, rows"
                + " young and fewer than the cadence", v -> {
                    v.row(3).details = "{\"sha256\":\"forged\"}";
                    v.rechain(3);
                    v.checkpoints(v.table.stream().map(c -> new Checkpoint(LOG_ID, c.seq, v.row(c.seq).hash, c.time, null,
                            null)).toList());
                }, last + 60_000, 1000, null, false, "rows-uncovered", 1);
        b.custom("all-checkpoints-deleted-young-witnessed", "every checkpoint deleted while the rows are young and few,"
                + " verified against the witness", v -> {
                    v.checkpoints(List.of());
                    v.row(3).details = "{\"sha256\":\"forged\"}";
                    v.rechain(3);
                }, last + 60_000, 1000, null, true, "witness-mismatch", 7);
        // checkpoint file
        b.add("checkpoint-file-deleted", "the checkpoint file deleted", v -> v.file = null, "checkpoint-file-missing", 0);
        b.add("checkpoint-file-emptied", "the checkpoint file emptied", v -> v.file = new byte[0], "checkpoint-file-edited", 2);
        b.add("checkpoint-line-removed", "the second line (row 7) removed from the checkpoint file",
                v -> dropLine(v, 1), "checkpoint-file-edited", 7);
        b.add("checkpoint-line-hash-edited", "one hex digit of the third line's hash changed",
                v -> editLine(v, 2, l -> flipHash(l)), "checkpoint-mismatch", 12);
        b.add("checkpoint-line-seq-edited", "the second line's seq changed from 7 to 8",
                v -> editLine(v, 1, l -> l.replace("\"seq\":7,", "\"seq\":8,")), "checkpoint-mismatch", 8);
        b.add("checkpoint-line-not-canonical", "a space added after a colon in the third line (same JSON value)",
                v -> editLine(v, 2, l -> l.replaceFirst("\"seq\":", "\"seq\": ")), "checkpoint-file-edited", 0);
        b.add("checkpoint-line-crlf", "the first line ends with CR LF", v -> editLine(v, 0, l -> l + "\r"),
                "checkpoint-file-edited", 0);
        b.add("checkpoint-lines-reordered", "the second and third lines swapped", v -> {
            List<String> l = v.fileLines();
            java.util.Collections.swap(l, 1, 2);
            v.fileLines(l);
        }, "checkpoint-file-edited", 7);
        b.add("checkpoint-line-duplicated", "the last line appended twice", v -> {
            List<String> l = v.fileLines();
            l.add(l.get(l.size() - 1));
            v.fileLines(l);
        }, "checkpoint-file-edited", 19);
        b.add("checkpoint-file-garbage-line", "a line 'hello' appended", v -> {
            List<String> l = v.fileLines();
            l.add("hello");
            v.fileLines(l);
        }, "checkpoint-file-edited", 0);
        b.add("checkpoint-file-other-log", "the checkpoint file's log ids changed",
                v -> v.file = new String(v.file, StandardCharsets.UTF_8).replace(LOG_ID, "00000000-0000-4000-8000-000000000000")
                        .getBytes(StandardCharsets.UTF_8), "checkpoint-file-edited", 2);
        b.add("checkpoint-file-torn-pending", "the last line cut short by a crash mid-append (the database has the"
                + " checkpoint): accepted", v -> v.file = Arrays.copyOf(v.file, v.file.length - 40), "intact", 0);
        b.add("checkpoint-file-torn-newline-only", "the last line complete but its newline missing: accepted",
                v -> v.file = Arrays.copyOf(v.file, v.file.length - 1), "intact", 0);
        b.add("checkpoint-file-torn-garbage", "a partial line that is no checkpoint's start appended without a newline",
                v -> v.file = concat(v.file, "{\"hash\":\"00".getBytes(StandardCharsets.UTF_8)), "checkpoint-file-edited", 0);
        b.add("checkpoint-file-torn-edited", "the last line cut short and its bytes changed", v -> {
            byte[] f = Arrays.copyOf(v.file, v.file.length - 40);
            f[f.length - 3] = (byte) (f[f.length - 3] == 'A' ? 'B' : 'A');
            v.file = f;
        }, "checkpoint-file-edited", 0);
        b.add("checkpoint-file-not-utf8", "a byte that is not UTF-8 in the first line",
                v -> v.file[20] = (byte) 0xff, "checkpoint-file-edited", 0);
        b.add("checkpoint-file-bom", "a UTF-8 byte order mark before the first line", v -> v.file = concat(
                new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, v.file), "checkpoint-file-edited", 0);
        b.add("checkpoint-file-empty-line", "an empty line between the first and second lines", v -> {
            List<String> l = v.fileLines();
            l.add(1, "");
            v.fileLines(l);
        }, "checkpoint-file-edited", 0);
        b.add("checkpoint-line-duplicate-member", "the first line with its hash member written twice",
                v -> editLine(v, 0, l -> l.replaceFirst("\\{", "{\"hash\":\"" + "0".repeat(64) + "\",")),
                "checkpoint-file-edited", 0);
        b.add("checkpoint-line-seq-zero", "the first line's seq set to 0", v -> editLine(v, 0,
                l -> l.replace("\"seq\":2,", "\"seq\":0,")), "checkpoint-file-edited", 0);
        b.add("checkpoint-line-key-id-without-signature", "the first line's sig set to null, its key_id kept",
                v -> editLine(v, 0, l -> l.replaceFirst("\"sig\":\"[^\"]*\"", "\"sig\":null")), "checkpoint-file-edited", 0);
        // the database side of the checkpoints
        b.add("newest-checkpoint-only-in-database", "the last line missing from the file (a crash before the append):"
                + " accepted", v -> dropLine(v, 4), "intact", 0);
        b.add("newest-database-checkpoint-forged", "the newest checkpoint kept only in the database with a forged signature",
                v -> {
                    dropLine(v, 4);
                    v.cp(19).signature = forge(v.cp(19).signature);
                }, "checkpoint-signature-invalid", 19);
        b.add("newest-database-checkpoint-recomputed", "row 18 edited, rows 18-19 re-hashed, the database's newest"
                + " checkpoint updated to match and removed from the file", v -> {
                    v.row(18).outcome = "success";
                    v.row(18).details = "{\"i\":14,\"edited\":true}";
                    v.rechain(18);
                    v.cp(19).hash = v.row(19).hash;
                    dropLine(v, 4);
                }, "checkpoint-signature-invalid", 19);
        b.add("older-database-checkpoint-only-in-database", "a middle line (row 12) removed from the file",
                v -> dropLine(v, 2), "checkpoint-file-edited", 12);
        b.add("database-checkpoint-deleted", "the table's checkpoint for row 12 deleted", v -> v.table.remove(v.cp(12)),
                "checkpoint-table-edited", 12);
        b.add("database-checkpoint-key-id-edited", "the table's key_id for row 12 changed", v -> v.cp(12).keyId = "x",
                "checkpoint-file-edited", 12);
        b.add("database-checkpoint-malformed", "the table's checkpoint for row 12 has a key_id but no signature",
                v -> v.cp(12).signature = null, "checkpoint-table-edited", 12);
        b.add("database-checkpoint-time-edited", "the checkpoint time for row 12 changed in table and file", v -> {
            v.cp(12).time += 1;
            editLine(v, 2, l -> l.replace("\"time\":" + (v.cp(12).time - 1), "\"time\":" + v.cp(12).time));
        }, "checkpoint-signature-invalid", 12);
        b.add("database-checkpoint-forged-beyond-tail", "a signed-looking checkpoint for row 25 added to the table only",
                v -> v.table.add(new VectorLog.Cp(25, last, v.row(19).hash, v.cp(19).keyId, v.cp(19).signature)),
                "tail-truncated", 20);
        // signatures
        b.add("signature-edited", "row 12's signature changed in table and file", v -> setCheckpoint(v, 12,
                c -> new Checkpoint(LOG_ID, c.seq(), c.hash(), c.time(), c.keyId(), forge(c.signature()))),
                "checkpoint-signature-invalid", 12);
        b.add("signature-unpadded", "row 12's signature written without its base64 padding in table and file",
                v -> setCheckpoint(v, 12, c -> new Checkpoint(LOG_ID, c.seq(), c.hash(), c.time(), c.keyId(),
                        c.signature().replace("=", ""))), "checkpoint-signature-invalid", 12);
        b.add("signature-stripped-newest", "the newest checkpoint's key id and signature removed from table and file",
                v -> setCheckpoint(v, 19, c -> new Checkpoint(LOG_ID, c.seq(), c.hash(), c.time(), null, null)),
                "checkpoint-signature-missing", 19);
        b.add("key-id-edited", "row 12's key id changed in table and file", v -> setCheckpoint(v, 12,
                c -> new Checkpoint(LOG_ID, c.seq(), c.hash(), c.time(), attackerFp, c.signature())),
                "checkpoint-signature-invalid", 12);
        b.add("signature-copied-from-another-checkpoint", "row 7's valid signature copied onto row 12's checkpoint in"
                + " table and file", v -> {
                    String sig7 = v.cp(7).signature;
                    setCheckpoint(v, 12, c -> new Checkpoint(LOG_ID, c.seq(), c.hash(), c.time(), c.keyId(), sig7));
                }, "checkpoint-signature-invalid", 12);
        b.add("rows-prepended-row-zero", "a row with seq 0 inserted before row 1", v -> {
            VectorLog.Row zero = new VectorLog.Row(0, v.row(1).time, "user", "forged.action", "x", "success", "{}",
                    AuditChain.genesis(LOG_ID), "");
            zero.rehash();
            v.rows.add(0, zero);
        }, "row-deleted", 1);
        b.custom("uncovered-tail-edited-young", "rows appended by a locked process, then one of them edited and re-chained"
                + " within the cadence (not detectable: protected by the chain only, for one cadence)", v -> {
                    append(v, last);
                    append(v, last);
                    v.row(20).details = "{\"edited\":true}";
                    v.rechain(20);
                }, last + 60_000, EVERY_ROWS, null, false, "intact", 0);
        // keys
        b.add("key-row-missing", "the tenant's signing key row deleted", v -> v.key = null, "key-missing", 0);
        b.add("key-row-invalid", "the signing key row's algorithm changed", v -> v.key.algorithm = "X25519", "key-invalid", 0);
        b.add("key-row-short", "the signing key cut to 31 bytes", v -> v.key.publicKey = Arrays.copyOf(v.key.publicKey, 31),
                "key-invalid", 0);
        Consumer<VectorLog> swapKey = v -> {
            v.key = new VectorLog.KeyRow("Ed25519", rawPublic(attacker));
            v.checkpoints(v.table.stream().map(c -> signed(attacker, c.seq, c.hash, c.time)).toList());
        };
        b.add("key-swapped", "the key replaced by an attacker's and every checkpoint re-signed with it (not detectable"
                + " without a pinned fingerprint or a witness)", swapKey, "intact", 0);
        b.pinned("key-swapped-pinned", "the key replaced and every checkpoint re-signed, verified with the tenant's"
                + " fingerprint pinned", tenantFp, swapKey, "key-mismatch", 0);
        b.witnessed("key-swapped-witnessed", "the key replaced and every checkpoint re-signed, verified against the witness",
                swapKey, "witness-mismatch", 2);
        Consumer<VectorLog> swapAndRecompute = v -> {
            v.row(4).details = "{\"tenant\":\"other\"}";
            v.rechain(4);
            v.key = new VectorLog.KeyRow("Ed25519", rawPublic(attacker));
            v.checkpoints(v.table.stream().map(c -> signed(attacker, c.seq, v.row(c.seq).hash, c.time)).toList());
        };
        b.add("key-swapped-chain-recomputed", "row 4 edited, chain recomputed, key replaced and every checkpoint re-signed"
                + " (not detectable without a pinned fingerprint or a witness)", swapAndRecompute, "intact", 0);
        b.pinned("key-swapped-chain-recomputed-pinned", "the same, verified with the tenant's fingerprint pinned", tenantFp,
                swapAndRecompute, "key-mismatch", 0);
        b.witnessed("key-swapped-chain-recomputed-witnessed", "the same, verified against the witness", swapAndRecompute,
                "witness-mismatch", 2);
        b.pinned("fingerprint-mismatch", "an intact log verified with another key's fingerprint pinned", attackerFp,
                v -> { }, "key-mismatch", 0);
        b.pinned("fingerprint-pinned-key-missing", "the key row deleted, verified with the fingerprint pinned", tenantFp,
                v -> v.key = null, "key-mismatch", 0);
        // log id
        b.add("log-id-missing", "meta.log_id deleted", v -> v.logId = null, "log-id-missing", 0);
        b.add("log-id-changed", "meta.log_id changed", v -> v.logId = "00000000-0000-4000-8000-000000000000",
                "checkpoint-file-edited", 2);
        // witnesses
        b.witnessed("witness-line-edited", "one hex digit of a witness line's hash changed", v -> {
            List<String> l = new ArrayList<>(new String(v.witness, StandardCharsets.UTF_8).lines().toList());
            l.set(1, flipHash(l.get(1)));
            v.witness = (String.join("\n", l) + "\n").getBytes(StandardCharsets.UTF_8);
        }, "witness-mismatch", 7);
        b.witnessed("witness-garbage-line", "a line 'hello' in the witness", v -> v.witness = concat(v.witness,
                "hello\n".getBytes(StandardCharsets.UTF_8)), "witness-mismatch", 0);
        b.witnessed("witness-other-log-only", "a witness holding only another log's checkpoints",
                v -> v.witness = new String(v.witness, StandardCharsets.UTF_8).replace(LOG_ID,
                        "00000000-0000-4000-8000-000000000000").getBytes(StandardCharsets.UTF_8), "witness-mismatch", 0);
        b.witnessed("witness-missing", "the witness file named but absent", v -> v.witness = null, "witness-missing", 0);
        b.witnessed("witness-torn-last-line", "the witness's last line cut short: ignored",
                v -> v.witness = Arrays.copyOf(v.witness, v.witness.length - 30), "intact", 0);
        b.witnessed("witness-tail-truncated", "rows after row 15 deleted along with their checkpoints from table and file,"
                + " verified against the witness", v -> {
                    v.rows.removeIf(r -> r.seq > 15);
                    v.table.removeIf(c -> c.seq > 15);
                    v.fileLines(v.fileLines().subList(0, 3));
                }, "witness-rollback", 16);
        return out;
    }

    private static void append(VectorLog v, long time) {
        VectorLog.Row lastRow = v.rows.get(v.rows.size() - 1);
        VectorLog.Row r = new VectorLog.Row(lastRow.seq + 1, Math.max(time, lastRow.time), "user", "forged.action",
                "x", "success", "{}", lastRow.hash, "");
        r.rehash();
        v.rows.add(r);
    }

    private static void dropLine(VectorLog v, int index) {
        List<String> l = v.fileLines();
        l.remove(index);
        v.fileLines(l);
    }

    private static void editLine(VectorLog v, int index, java.util.function.UnaryOperator<String> edit) {
        List<String> l = v.fileLines();
        l.set(index, edit.apply(l.get(index)));
        v.fileLines(l);
    }

    private static String flipHash(String line) {
        int at = line.indexOf("\"hash\":\"") + 8;
        char flipped = line.charAt(at) == '0' ? '1' : '0';
        return line.substring(0, at) + flipped + line.substring(at + 1);
    }

    /** The same signature with one byte changed. */
    private static String forge(String sig) {
        byte[] s = Base64.getDecoder().decode(sig);
        s[0] ^= 1;
        return Base64.getEncoder().encodeToString(s);
    }

    private static void setCheckpoint(VectorLog v, long seq, java.util.function.UnaryOperator<Checkpoint> edit) {
        v.checkpoints(v.table.stream().map(c -> {
            Checkpoint cp = new Checkpoint(LOG_ID, c.seq, c.hash, c.time, c.keyId, c.signature);
            return c.seq == seq ? edit.apply(cp) : cp;
        }).toList());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder();
        AuditChain.string(b, s);
        return b.toString();
    }

    /** Collects vectors, numbering them in order. */
    private static final class Builder {
        final VectorLog base;
        final long now;
        final List<Vector> out;

        Builder(VectorLog base, long now, List<Vector> out) {
            this.base = base;
            this.now = now;
            this.out = out;
        }

        void add(String name, String description, Consumer<VectorLog> mutation, String kind, long seq) {
            custom(name, description, mutation, now, EVERY_ROWS, null, false, kind, seq);
        }

        void pinned(String name, String description, String fp, Consumer<VectorLog> mutation, String kind, long seq) {
            custom(name, description, mutation, now, EVERY_ROWS, fp, false, kind, seq);
        }

        void witnessed(String name, String description, Consumer<VectorLog> mutation, String kind, long seq) {
            custom(name, description, mutation, now, EVERY_ROWS, null, true, kind, seq);
        }

        void custom(String name, String description, Consumer<VectorLog> mutation, long now, int everyRows,
                @Nullable String fp, boolean witness, String kind, long seq) {
            VectorLog v = base.copy();
            if (!witness) {
                // the witness stays in the copy while mutating (some mutations edit it), then is dropped
                mutation.accept(v);
                v.witness = null;
            } else {
                mutation.accept(v);
            }
            String dir = String.format("%02d-%s", out.size() + 1, name);
            out.add(new Vector(dir, description, v, now, everyRows, EVERY_MINUTES, fp, witness, kind, seq));
        }
    }

}
