package dev.airlock.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Locale;

/**
 * ocsf: one OCSF 1.1.0 "API Activity" event (class_uid 6003, category 6 "Application Activity")
 * per line. Attribute names, enums and requirements follow the OCSF schema 1.1.0
 * (schema.ocsf.io/1.1.0/classes/api_activity; ocsf-schema events/application/api.json and
 * events/base_event.json). Required there, and always written here: activity_id, category_uid,
 * class_uid, type_uid, time, severity_id, metadata (with version and product.vendor_name), actor,
 * api (with operation) and src_endpoint. Everything that has no OCSF attribute, including the chain
 * witness (seq, prev_hash, hash), goes to {@code unmapped}.
 */
final class ExportOcsf implements ExportLines.Encoder {
    static final int CATEGORY_UID = 6;
    static final int CLASS_UID = 6003;
    static final String SCHEMA_VERSION = "1.1.0";

    private final ExportContext context;

    ExportOcsf(ExportContext context) {
        this.context = context;
    }

    /** The OCSF API Activity activity_id enum: 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other. */
    enum Activity {
        CREATE(1, "Create"),
        READ(2, "Read"),
        UPDATE(3, "Update"),
        DELETE(4, "Delete"),
        OTHER(99, "Other");

        final int id;
        final String caption;

        Activity(int id, String caption) {
            this.id = id;
            this.caption = caption;
        }

        /**
         * Maps an action by its verb, the last dotted segment ({@code tenant.create} → Create).
         * Unknown verbs are Other rather than a guess: a wrong "Delete" would mislead an analyst.
         */
        static Activity ofAction(String action) {
            String a = action == null ? "" : action;
            String verb = a.substring(a.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            return switch (verb) {
                case "create", "add", "insert", "new", "init", "register" -> CREATE;
                case "read", "get", "show", "list", "view", "tail", "export", "search", "query" -> READ;
                case "update", "set", "change", "modify", "edit", "rename", "rotate", "enable",
                        "disable" -> UPDATE;
                case "delete", "remove", "destroy", "drop", "purge" -> DELETE;
                default -> OTHER;
            };
        }
    }

    /** type_uid is defined by OCSF as class_uid * 100 + activity_id. */
    static long typeUid(int classUid, int activityId) {
        return (long) classUid * 100 + activityId;
    }

    @Override
    public String encode(AuditRecord r) throws IOException {
        Activity activity = Activity.ofAction(r.action());
        ExportOutcome outcome = ExportOutcome.of(r.outcome());
        return ExportJson.line(g -> {
            g.writeStartObject();
            g.writeNumberField("activity_id", activity.id);
            g.writeStringField("activity_name", activity.caption);
            g.writeNumberField("category_uid", CATEGORY_UID);
            g.writeStringField("category_name", "Application Activity");
            g.writeNumberField("class_uid", CLASS_UID);
            g.writeStringField("class_name", "API Activity");
            g.writeNumberField("type_uid", typeUid(CLASS_UID, activity.id));
            g.writeStringField("type_name", "API Activity: " + activity.caption);
            g.writeNumberField("time", r.time());
            g.writeNumberField("severity_id", outcome.ocsfSeverityId);
            g.writeStringField("severity", outcome.ocsfSeverity);
            g.writeNumberField("status_id", outcome.ocsfStatusId);
            g.writeStringField("status", outcome.ocsfStatus);
            // status is an enum caption; the outcome Airlock recorded (e.g. "denied") is kept here.
            g.writeStringField("status_detail", ExportJson.text(r.outcome()));
            g.writeStringField("message", ExportJson.message(r));
            writeMetadata(g, r);
            g.writeObjectFieldStart("actor");
            g.writeObjectFieldStart("user");
            g.writeStringField("name", ExportJson.text(r.actor()));
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("api");
            g.writeStringField("operation", ExportJson.text(r.action()));
            g.writeObjectFieldStart("service");
            g.writeStringField("name", "airlock");
            g.writeEndObject();
            g.writeEndObject();
            // src_endpoint is required by the class; Airlock is local-first, so the activity
            // originates on the machine that runs it.
            g.writeObjectFieldStart("src_endpoint");
            g.writeStringField("hostname", context.hostName());
            g.writeEndObject();
            if (!ExportJson.text(r.target()).isEmpty()) {
                g.writeArrayFieldStart("resources");
                g.writeStartObject();
                g.writeStringField("uid", r.target());
                g.writeEndObject();
                g.writeEndArray();
            }
            g.writeObjectFieldStart("unmapped");
            g.writeNumberField("seq", r.seq());
            g.writeStringField("prev_hash", ExportJson.text(r.prevHash()));
            g.writeStringField("hash", ExportJson.text(r.hash()));
            g.writeFieldName("details");
            ExportJson.writeDetails(g, r);
            g.writeStringField("log_id", context.logId());
            g.writeStringField("tenant", context.tenant());
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private void writeMetadata(JsonGenerator g, AuditRecord r) throws IOException {
        g.writeObjectFieldStart("metadata");
        g.writeStringField("version", SCHEMA_VERSION);
        g.writeObjectFieldStart("product");
        g.writeStringField("name", "Airlock");
        g.writeStringField("vendor_name", "Airlock");
        g.writeStringField("version", context.airlockVersion());
        g.writeEndObject();
        g.writeStringField("log_name", "audit");
        // log id + seq names exactly one row across every tenant's log.
        g.writeStringField("uid", context.logId() + ":" + r.seq());
        g.writeStringField("original_time", ExportJson.isoTime(r.time()));
        g.writeEndObject();
    }
}
