package dev.airlock.workflow;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditLog;
import dev.airlock.store.TenantDb;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Scheduled workflow runs of one tenant: cron expressions in the crontab form (5 fields, UTC),
 * parsed by cron-utils. Adding, removing and firing a schedule each commit with their audit row.
 *
 * <p>Semantics: a schedule fires at most once per scheduled time, and only while a scheduler runs;
 * times missed while none ran are not caught up (the next one after start is the first). A fire is
 * claimed in the database before the run starts, so two schedulers on one tenant start it once.
 */
public final class Schedules {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RunStore store;

    private Schedules(RunStore store) {
        this.store = store;
    }

    public static Schedules create(TenantDb db, AuditLog audit, Clock clock) {
        return new Schedules(new RunStore(db, audit, clock));
    }

    /** One schedule. {@code lastFired} is the scheduled time last started, if any. */
    public record Schedule(String id, String cron, Path file, Path workspace, Map<String, String> inputs, Instant created,
            @Nullable Instant lastFired, @Nullable String lastRunId) {}

    /** The next time {@code cron} fires after {@code after}; a usage error for an invalid expression. */
    public static Optional<Instant> next(String cron, Instant after) {
        ExecutionTime t = ExecutionTime.forCron(parse(cron));
        return t.nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC)).map(ZonedDateTime::toInstant);
    }

    private static com.cronutils.model.Cron parse(String cron) {
        try {
            return PARSER.parse(cron).validate();
        } catch (IllegalArgumentException e) {
            throw WorkflowException.invalid("cron expression '" + cron + "' is not valid (" + oneLine(e.getMessage())
                    + "); use the 5 crontab fields, e.g. '0 3 * * *' for 03:00 UTC daily");
        }
    }

    /**
     * Adds a schedule. The caller has validated the workflow file (it is validated again at every start).
     *
     * @throws WorkflowException exit 2 for an invalid cron expression
     */
    public Schedule add(String cron, Path file, Path workspace, Map<String, String> inputs) {
        parse(cron);
        String id = "s" + Runner.newRunId().substring(1, 9);
        long now = store.now();
        store.write(AuditEvent.builder("workflow.schedule.add").target("schedule:" + id).detail("cron", cron)
                .detail("file", file.toString()).detail("workspace", workspace.toString())
                .detail("inputs", new ArrayList<>(inputs.keySet())).build(), h -> h.createUpdate(
                "INSERT INTO workflow_schedule(id, cron, file, workspace, inputs, created) VALUES (:id, :c, :f, :w, :i, :t)")
                .bind("id", id).bind("c", cron).bind("f", file.toString()).bind("w", workspace.toString())
                .bind("i", RunStore.json(inputs)).bind("t", now).execute());
        return get(id).orElseThrow();
    }

    public List<Schedule> list() {
        return store.db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM workflow_schedule ORDER BY created, id")
                .mapTo(String.class).list()).stream().map(id -> get(id).orElseThrow()).toList();
    }

    public Optional<Schedule> get(String id) {
        return store.db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM workflow_schedule WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new Schedule(rs.getString("id"), rs.getString("cron"), Path.of(rs.getString("file")),
                        Path.of(rs.getString("workspace")), RunStore.stringMap(rs.getString("inputs")),
                        Instant.ofEpochMilli(rs.getLong("created")),
                        rs.getObject("last_fired") == null ? null : Instant.ofEpochMilli(rs.getLong("last_fired")),
                        rs.getString("last_run_id")))
                .findOne());
    }

    /** Removes a schedule; a usage error naming the known ones when there is no such id. */
    public void remove(String id) {
        if (get(id).isEmpty()) {
            throw WorkflowException.invalid("there is no schedule '" + id + "'; see 'airlock schedule list'");
        }
        store.write(AuditEvent.builder("workflow.schedule.remove").target("schedule:" + id).build(),
                h -> h.createUpdate("DELETE FROM workflow_schedule WHERE id = :id").bind("id", id).execute());
    }

    /**
     * The schedules due at the clock's now, each claimed for its latest scheduled time not after now
     * (and after {@code since}, the scheduler's start, so missed times are not caught up). A claim is
     * a conditional update with its audit row: a schedule another scheduler claimed is left out.
     */
    public List<Schedule> claimDue(Instant since) {
        Instant now = store.clock.instant();
        List<Schedule> due = new ArrayList<>();
        for (Schedule s : list()) {
            Instant from = s.lastFired() != null && s.lastFired().isAfter(since) ? s.lastFired() : since;
            Instant latest = null;
            Optional<Instant> n = next(s.cron(), from);
            while (n.isPresent() && !n.get().isAfter(now)) {
                latest = n.get();
                n = next(s.cron(), latest);
            }
            if (latest == null) {
                continue;
            }
            long at = latest.toEpochMilli();
            Long previous = s.lastFired() == null ? null : s.lastFired().toEpochMilli();
            try {
                store.write(AuditEvent.builder("workflow.schedule.fire").target("schedule:" + s.id()).detail("cron", s.cron())
                        .detail("scheduled", latest.toString()).detail("file", s.file().toString()).build(), h -> {
                            int changed = h.createUpdate("UPDATE workflow_schedule SET last_fired = :at WHERE id = :id AND"
                                            + (previous == null ? " last_fired IS NULL" : " last_fired = :prev"))
                                    .bind("at", at).bind("id", s.id()).bind("prev", previous).execute();
                            if (changed != 1) {
                                throw new RunStore.AlreadyDecided(null);
                            }
                            return null;
                        });
                due.add(get(s.id()).orElseThrow());
            } catch (RunStore.AlreadyDecided e) {
                // claimed by another scheduler
            }
        }
        return due;
    }

    /** Remembers which run a fire started. */
    public void recordRun(String scheduleId, String runId) {
        store.write(AuditEvent.builder("workflow.schedule.run").target("schedule:" + scheduleId).detail("run", runId).build(),
                h -> h.createUpdate("UPDATE workflow_schedule SET last_run_id = :r WHERE id = :id")
                        .bind("r", runId).bind("id", scheduleId).execute());
    }

    /** Records that a fire could not start a run (file gone, workflow now invalid…). */
    public void recordFailure(String scheduleId, String why) {
        store.audit.append(AuditEvent.builder("workflow.schedule.run").target("schedule:" + scheduleId).outcome("failure")
                .detail("reason", why).build());
    }

    private static String oneLine(@Nullable String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").strip();
    }
}
