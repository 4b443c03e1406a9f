package dev.airlock.audit;

import java.util.Objects;

/**
 * Where the exported rows come from, stamped on every exported record so that a SIEM holding
 * several tenants' logs can tell the chains apart. It holds names only, never a secret.
 *
 * @param tenant         tenant name, e.g. {@code default}
 * @param logId          the audit log id the chain's genesis value is derived from
 * @param hostName       the machine Airlock runs on, as the SIEM should show it
 * @param airlockVersion the Airlock version that wrote the export, e.g. {@code 0.1.0}
 */
public record ExportContext(String tenant, String logId, String hostName, String airlockVersion) {
    public ExportContext {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(logId, "logId");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(airlockVersion, "airlockVersion");
    }
}
