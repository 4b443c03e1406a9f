package dev.airlock.redact;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code redaction:} section of the Airlock configuration, bindable by Jackson from YAML with
 * snake_case keys. Missing keys take the safe defaults: credential detectors always on, credit cards
 * on, emails, IP addresses and IBANs off, no keyed tags.
 *
 * <pre>{@code
 * redaction:
 *   pii: { credit_cards: true, emails: false, ip_addresses: false, ibans: true }
 *   patterns:
 *     - { name: acme-ticket-key, regex: "ACME-[0-9A-F]{24}", keywords: ["acme-"] }
 *   allow: ["AKIAIOSFODNN7EXAMPLE"]
 *   hash_tags: true
 * }</pre>
 *
 * @param pii      switches for personal data detectors
 * @param patterns user-defined detectors; the whole match is redacted unless the regex has a
 *                 capture group, in which case group 1 is
 * @param allow    exact values that are never redacted (documentation examples, test fixtures)
 * @param hashTags append a short keyed hash to each replacement so the same value gets the same tag
 *                 within a session, e.g. {@code [REDACTED:aws-access-key:3f9a1c]}
 */
public record RedactionConfig(Pii pii, List<CustomPattern> patterns, List<String> allow, boolean hashTags) {

    @JsonCreator
    public RedactionConfig(
            @JsonProperty("pii") @Nullable Pii pii,
            @JsonProperty("patterns") @Nullable List<CustomPattern> patterns,
            @JsonProperty("allow") @Nullable List<String> allow,
            @JsonProperty("hash_tags") @Nullable Boolean hashTags) {
        this(pii == null ? Pii.DEFAULTS : pii,
                patterns == null ? List.of() : List.copyOf(patterns),
                allow == null ? List.of() : List.copyOf(allow),
                hashTags != null && hashTags);
    }

    public RedactionConfig {
        patterns = List.copyOf(patterns);
        allow = List.copyOf(allow);
    }

    /** The configuration used when the file has no {@code redaction:} section. */
    public static RedactionConfig defaults() {
        return new RedactionConfig(Pii.DEFAULTS, List.of(), List.of(), false);
    }

    /** This configuration with every personal data detector switched on; handy for reports. */
    public RedactionConfig withAllPii() {
        return new RedactionConfig(new Pii(true, true, true, true), patterns, allow, hashTags);
    }

    /** This configuration with keyed tags switched on or off. */
    public RedactionConfig withHashTags(boolean enabled) {
        return new RedactionConfig(pii, patterns, allow, enabled);
    }

    /**
     * Personal data switches. Cards default on because a card number in a log is never wanted;
     * emails and addresses default off because they are usually what an operator is debugging.
     */
    public record Pii(boolean creditCards, boolean emails, boolean ipAddresses, boolean ibans) {
        public static final Pii DEFAULTS = new Pii(true, false, false, false);

        @JsonCreator
        static Pii of(
                @JsonProperty("credit_cards") @Nullable Boolean creditCards,
                @JsonProperty("emails") @Nullable Boolean emails,
                @JsonProperty("ip_addresses") @Nullable Boolean ipAddresses,
                @JsonProperty("ibans") @Nullable Boolean ibans) {
            return new Pii(creditCards == null || creditCards, emails != null && emails,
                    ipAddresses != null && ipAddresses, ibans != null && ibans);
        }
    }

    /**
     * A user-defined detector. {@code keywords} (case-insensitive) let the prefilter skip text that
     * cannot match; without them the regex runs over all text, which is correct but slower.
     */
    public record CustomPattern(String name, String regex, List<String> keywords) {
        @JsonCreator
        public CustomPattern(
                @JsonProperty("name") String name,
                @JsonProperty("regex") String regex,
                @JsonProperty("keywords") @Nullable List<String> keywords) {
            this.name = name;
            this.regex = regex;
            this.keywords = keywords == null ? List.of() : List.copyOf(keywords);
        }
    }
}
