package dev.airlock.audit;

import dev.airlock.home.TextFilter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** How an audit log is opened. Frozen once built. */
public final class AuditOptions {
    final int checkpointEveryRows;
    final Duration checkpointInterval;
    final Clock clock;
    final TextFilter detailsFilter;
    final @Nullable CheckpointSigner signer;
    final java.util.List<String> witnesses;

    private AuditOptions(Builder b) {
        this.checkpointEveryRows = b.checkpointEveryRows;
        this.checkpointInterval = b.checkpointInterval;
        this.clock = b.clock;
        this.detailsFilter = b.detailsFilter;
        this.signer = b.signer;
        this.witnesses = java.util.List.copyOf(b.witnesses);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<CheckpointSigner> signer() {
        return Optional.ofNullable(signer);
    }

    public static final class Builder {
        private int checkpointEveryRows = 1_000;
        private Duration checkpointInterval = Duration.ofMinutes(10);
        private Clock clock = Clock.systemUTC();
        private TextFilter detailsFilter = TextFilter.identity();
        private @Nullable CheckpointSigner signer;
        private final java.util.List<String> witnesses = new java.util.ArrayList<>();

        private Builder() {}

        /** Takes the checkpoint cadence from the {@code audit:} config section. */
        public Builder settings(AuditSettings s) {
            s.witness().forEach(this::witness);
            return checkpointEveryRows(s.checkpointEveryRows()).checkpointInterval(Duration.ofMinutes(s.checkpointEveryMinutes()));
        }

        public Builder checkpointEveryRows(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("checkpointEveryRows must be positive");
            }
            this.checkpointEveryRows = rows;
            return this;
        }

        public Builder checkpointInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("checkpointInterval must be positive");
            }
            this.checkpointInterval = interval;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Applied to every string in the details before they are stored (the redactor). */
        public Builder detailsFilter(TextFilter filter) {
            this.detailsFilter = Objects.requireNonNull(filter);
            return this;
        }

        public Builder signer(CheckpointSigner signer) {
            this.signer = Objects.requireNonNull(signer);
            return this;
        }

        /**
         * Also appends every checkpoint line to {@code witness}: an absolute file path (created 0600
         * if missing) or {@code syslog}. A witness that cannot be written is logged, never fatal: the
         * checkpoint is already durable in the database and the checkpoint file.
         */
        public Builder witness(String witness) {
            if (!(witness.equals(AuditSettings.SYSLOG) || java.nio.file.Path.of(witness).isAbsolute())) {
                throw new IllegalArgumentException("a witness is 'syslog' or an absolute file path, got '" + witness + "'");
            }
            if (!witnesses.contains(witness)) {
                witnesses.add(witness);
            }
            return this;
        }

        public AuditOptions build() {
            return new AuditOptions(this);
        }
    }
}
