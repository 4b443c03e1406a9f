package dev.airlock.audit;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link AuditVerifier} checks besides the tenant's own files: the checkpoint cadence the log
 * was written under (rows older than it must be covered by a signed checkpoint), the current time,
 * witness files, and a pinned key fingerprint. Frozen once built.
 */
public final class VerifyOptions {
    final int everyRows;
    final long everyMillis;
    final Clock clock;
    final List<Path> witnesses;
    final @Nullable String fingerprint;

    /** Grace added to the checkpoint interval: a live writer checks the interval once a second. */
    static final long GRACE_MILLIS = 60_000;

    private VerifyOptions(Builder b) {
        this.everyRows = b.settings.checkpointEveryRows();
        this.everyMillis = b.settings.checkpointEveryMinutes() * 60_000L;
        this.clock = b.clock;
        this.witnesses = List.copyOf(b.witnesses);
        this.fingerprint = b.fingerprint;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Default cadence (1,000 rows, 10 minutes), the system clock, no witness, no pin. */
    public static VerifyOptions defaults() {
        return builder().build();
    }

    public Optional<String> fingerprint() {
        return Optional.ofNullable(fingerprint);
    }

    public static final class Builder {
        private AuditSettings settings = AuditSettings.defaults();
        private Clock clock = Clock.systemUTC();
        private final List<Path> witnesses = new ArrayList<>();
        private @Nullable String fingerprint;

        private Builder() {}

        /** The checkpoint cadence from the {@code audit:} config section. */
        public Builder settings(AuditSettings s) {
            this.settings = Objects.requireNonNull(s);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** A witness file to check the log against (repeatable). */
        public Builder witness(Path file) {
            witnesses.add(Objects.requireNonNull(file));
            return this;
        }

        /** Pins the tenant's signing key: {@code fp} as {@code airlock identity show} prints it. */
        public Builder fingerprint(String fp) {
            String n = SigningKey.normalizeFingerprint(fp);
            if (!n.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("a key fingerprint is 64 hex digits (':' separators allowed), got '" + fp + "'");
            }
            this.fingerprint = n;
            return this;
        }

        public VerifyOptions build() {
            return new VerifyOptions(this);
        }
    }
}
