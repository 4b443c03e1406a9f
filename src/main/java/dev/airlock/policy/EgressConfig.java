package dev.airlock.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Egress settings as written in YAML.
 *
 * @param allowedDomains hosts that may be reached; {@code *.example.com} covers its subdomains
 * @param proxy optional proxy URI all allowed traffic goes through
 * @param offlineMode loopback only, whatever else is configured
 * @param allowedPorts TCP ports that may be reached (any when absent or empty)
 */
public record EgressConfig(
        @JsonProperty("allowed_domains") @Nullable List<String> allowedDomains,
        @JsonProperty("proxy") @Nullable String proxy,
        @JsonProperty("offline_mode") @Nullable Boolean offlineMode,
        @JsonProperty("allowed_ports") @Nullable List<Integer> allowedPorts) {

    /** Without a port list: any port. */
    public EgressConfig(@Nullable List<String> allowedDomains, @Nullable String proxy, @Nullable Boolean offlineMode) {
        this(allowedDomains, proxy, offlineMode, null);
    }
}
