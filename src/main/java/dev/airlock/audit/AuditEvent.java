package dev.airlock.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a caller asks the audit log to record. The log assigns {@code seq}, {@code time} and the
 * hashes; the details are redacted and canonicalised (RFC 8785) when the row is written.
 *
 * <p>Details values may be strings, numbers, booleans, {@code null}, lists and maps of those. Never
 * put a secret value in them: the redactor is a safety net, not a licence.
 */
public final class AuditEvent {
    private final String actor;
    private final String action;
    private final String target;
    private final String outcome;
    private final Map<String, Object> details;

    private AuditEvent(Builder b) {
        this.actor = b.actor;
        this.action = b.action;
        this.target = b.target;
        this.outcome = b.outcome;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(b.details));
    }

    /** Starts an event for {@code action} (dotted lowercase, e.g. {@code tenant.create}). */
    public static Builder builder(String action) {
        return new Builder(action);
    }

    public String actor() {
        return actor;
    }

    public String action() {
        return action;
    }

    public String target() {
        return target;
    }

    public String outcome() {
        return outcome;
    }

    /** Unmodifiable details, in insertion order (the stored form is canonical, key-sorted). */
    public Map<String, Object> details() {
        return details;
    }

    /** Builds an {@link AuditEvent}; actor defaults to {@code user}, outcome to {@code success}. */
    public static final class Builder {
        private String actor = "user";
        private final String action;
        private String target = "";
        private String outcome = "success";
        private final Map<String, Object> details = new LinkedHashMap<>();

        private Builder(String action) {
            this.action = requireToken(action, "action");
        }

        public Builder actor(String actor) {
            this.actor = requireToken(actor, "actor");
            return this;
        }

        public Builder target(String target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        public Builder outcome(String outcome) {
            this.outcome = requireToken(outcome, "outcome");
            return this;
        }

        public Builder detail(String key, Object value) {
            details.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        public Builder details(Map<String, ?> values) {
            values.forEach(this::detail);
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(this);
        }

        private static String requireToken(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isEmpty() || value.length() > 200 || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException(what + " must be 1-200 printable ASCII characters without spaces");
            }
            return value;
        }
    }
}
