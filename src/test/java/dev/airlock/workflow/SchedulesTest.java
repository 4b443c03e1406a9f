package dev.airlock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cron schedules on an injected clock: due once per scheduled time, no catch-up, claimed once. */
class SchedulesTest {
    WorkflowFixture f;
    Schedules schedules;

    @BeforeEach
    void setUp() {
        f = new WorkflowFixture();
        schedules = Schedules.create(f.db, f.audit, f.clock);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void dueOncePerScheduledTime_andNotCaughtUpForTimesBeforeTheSchedulerStarted() {
        Instant start = f.clock.instant(); // 10:00:00
        Schedules.Schedule s = schedules.add("*/5 * * * *", Path.of("/w/x.yaml"), f.workspace, Map.of("k", "v"));
        assertThat(schedules.claimDue(start)).isEmpty();
        f.clock.advance(Duration.ofMinutes(4));
        assertThat(schedules.claimDue(start)).isEmpty();
        f.clock.advance(Duration.ofMinutes(1)); // 10:05
        assertThat(schedules.claimDue(start)).extracting(Schedules.Schedule::id).containsExactly(s.id());
        assertThat(schedules.claimDue(start)).isEmpty();
        // A scheduler that was down from 10:05 to 10:32 fires once (for 10:30), not six times.
        f.clock.advance(Duration.ofMinutes(27));
        var due = schedules.claimDue(start);
        assertThat(due).hasSize(1);
        assertThat(due.get(0).lastFired()).isEqualTo(Instant.parse("2026-11-22T10:30:00Z"));
        assertThat(f.rows("workflow.schedule.fire")).hasSize(2);
        schedules.recordRun(s.id(), "rabc");
        assertThat(schedules.get(s.id()).orElseThrow().lastRunId()).isEqualTo("rabc");
        assertThat(schedules.get(s.id()).orElseThrow().inputs()).containsEntry("k", "v");
    }

    @Test
    void aSecondSchedulerDoesNotClaimTheSameTime() {
        Instant start = f.clock.instant();
        schedules.add("* * * * *", Path.of("/w/x.yaml"), f.workspace, Map.of());
        Schedules other = Schedules.create(f.db, f.audit, f.clock);
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(schedules.claimDue(start)).hasSize(1);
        assertThat(other.claimDue(start)).isEmpty();
    }

    @Test
    void invalidCron_andUnknownIds_areUsageErrors() {
        assertThatThrownBy(() -> schedules.add("every day", Path.of("/w/x.yaml"), f.workspace, Map.of()))
                .isInstanceOf(WorkflowException.class).hasMessageContaining("cron expression 'every day' is not valid");
        assertThatThrownBy(() -> schedules.add("61 * * * *", Path.of("/w/x.yaml"), f.workspace, Map.of()))
                .isInstanceOf(WorkflowException.class);
        assertThatThrownBy(() -> schedules.remove("snope")).hasMessageContaining("there is no schedule 'snope'");
        assertThat(schedules.list()).isEmpty();
        assertThat(f.rows("workflow.schedule.add")).isEmpty();
    }

    @Test
    void remove_isAudited() {
        Schedules.Schedule s = schedules.add("0 3 * * *", Path.of("/w/x.yaml"), f.workspace, Map.of());
        schedules.remove(s.id());
        assertThat(schedules.list()).isEmpty();
        assertThat(f.rows("workflow.schedule.remove")).hasSize(1);
        assertThat(Schedules.next("0 3 * * *", Instant.parse("2026-11-22T10:00:00Z"))).contains(Instant.parse("2026-11-23T03:00:00Z"));
    }
}
