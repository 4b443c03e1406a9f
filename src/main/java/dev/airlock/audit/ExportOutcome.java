package dev.airlock.audit;

import java.util.Locale;

/**
 * How an outcome string is graded by the SIEM formats that need a status or severity (OCSF, CEF).
 * One table for both, so the same row is equally loud in every SIEM: a denial is the most
 * interesting (something tried what policy forbids), then a failure, then a success.
 */
enum ExportOutcome {
    // OCSF 1.1 status_id: 1 Success, 2 Failure, 99 Other; severity_id: 1 Informational, 2 Low,
    // 3 Medium. CEF severity 0-10 where 0-3 is Low and 4-6 Medium (ArcSight CEF guide).
    SUCCESS(1, "Success", 1, "Informational", 1),
    FAILURE(2, "Failure", 2, "Low", 3),
    DENIED(2, "Failure", 3, "Medium", 5),
    OTHER(99, "Other", 1, "Informational", 1);

    final int ocsfStatusId;
    final String ocsfStatus;
    final int ocsfSeverityId;
    final String ocsfSeverity;
    final int cefSeverity;

    ExportOutcome(int statusId, String status, int severityId, String severity, int cefSeverity) {
        this.ocsfStatusId = statusId;
        this.ocsfStatus = status;
        this.ocsfSeverityId = severityId;
        this.ocsfSeverity = severity;
        this.cefSeverity = cefSeverity;
    }

    static ExportOutcome of(String outcome) {
        return switch (outcome == null ? "" : outcome.toLowerCase(Locale.ROOT)) {
            case "success", "ok", "allowed", "approved" -> SUCCESS;
            case "failure", "failed", "error" -> FAILURE;
            case "denied", "refused", "rejected" -> DENIED;
            default -> OTHER;
        };
    }
}
