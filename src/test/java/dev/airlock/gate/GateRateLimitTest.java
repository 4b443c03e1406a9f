package dev.airlock.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.home.ExitCode;
import dev.airlock.policy.CommandAnalyzer;
import dev.airlock.policy.PathContext;
import dev.airlock.policy.PolicyConfig;
import dev.airlock.policy.PolicyEngine;
import dev.airlock.redact.RedactionConfig;
import dev.airlock.redact.Redactor;
import dev.airlock.sandbox.Sandbox;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits from the config hold through the gate, on an injected clock (no sleeping). */
class GateRateLimitTest {
    @TempDir
    Path dir;

    static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-11-22T00:00:00Z");

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
            return now;
        }
    }

    @Test
    void exec_refusesCallsOverTheAgentsRateAndAllowsThemAgainWhenTheBucketRefills() throws Exception {
        TenantDb db = TenantDb.open(TenantName.of("t"), dir.resolve("airlock.db"), true);
        db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", UUID.randomUUID().toString()));
        AuditLogs.createCheckpointFile(dir.resolve("audit.checkpoints"));
        Path ws = Files.createDirectories(dir.resolve("ws"));
        FakeClock clock = new FakeClock();
        GateSettings settings = new GateSettings(null, null, null,
                List.of(new GateSettings.RateLimitSetting("*", "shell", 2, 60)));
        try (AuditLog audit = AuditLogs.open(db, dir.resolve("audit.checkpoints"), AuditOptions.builder().build());
                CommandAnalyzer analyzer = CommandAnalyzer.create()) {
            Gate gate = Gate.builder()
                    .engine(PolicyEngine.create(PolicyConfig.EMPTY, analyzer))
                    .sandbox(Sandbox.bubblewrap(), "bubblewrap")
                    .audit(audit)
                    .approver((line, d, sandboxed) -> true)
                    .redactor(Redactor.create(RedactionConfig.defaults()))
                    .settings(settings)
                    .rateLimiter(settings.rateLimiter(clock))
                    .build();
            PathContext ctx = PathContext.create(ws, dir, dir.resolve("home"));
            ExecRequest req = new ExecRequest("agent:bot", "bot", "ls", ctx, ApprovalMode.NON_INTERACTIVE);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            assertThat(gate.exec(req, sink, sink)).isInstanceOf(ExecOutcome.Ran.class);
            assertThat(gate.exec(req, sink, sink)).isInstanceOf(ExecOutcome.Ran.class);
            ExecOutcome third = gate.exec(req, sink, sink);
            assertThat(third).isInstanceOfSatisfying(ExecOutcome.Refused.class, r -> {
                assertThat(r.code()).isEqualTo(ExitCode.DENIED);
                assertThat(r.why()).contains("rate limit");
            });
            clock.now = clock.now.plus(Duration.ofSeconds(31));
            assertThat(gate.exec(req, sink, sink)).isInstanceOf(ExecOutcome.Ran.class);
        }
    }
}
