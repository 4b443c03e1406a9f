package dev.airlock.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcStatTest {
    @Test
    void parse_countsFieldsFromTheLastParenthesisSoACraftedCommandNameCannotShiftThem() {
        // A process may name itself "x) R 1 1 1" to spoof the fields that follow its name.
        String stat = "4242 (x) R 1 1 1 (evil) Z 7 8 99 0 -1 4194560 0 0 0 0 0 0";

        assertThat(ProcStat.parse(stat)).contains(new ProcStat(4242, 7, 'Z', 99));
    }

    @Test
    void parse_readsAnOrdinaryLine() {
        assertThat(ProcStat.parse("17 (bash) S 1 17 17 34816 17 4194560 ...")).contains(new ProcStat(17, 1, 'S', 17));
    }

    @Test
    void parse_rejectsGarbage() {
        assertThat(ProcStat.parse("")).isEqualTo(Optional.empty());
        assertThat(ProcStat.parse("12 (x)")).isEmpty();
        assertThat(ProcStat.parse("12 (x) S a b c")).isEmpty();
    }

    @Test
    void read_seesThisJvmAsRunning() {
        assertThat(ProcStat.read(ProcessHandle.current().pid()))
                .hasValueSatisfying(st -> assertThat(st.state()).isNotEqualTo('Z'));
        assertThat(ProcessRunner.isRunning(ProcessHandle.current())).isTrue();
    }

    @Test
    void tree_findsDescendantsAndSessionMembersButNotOthers() {
        java.util.List<ProcStat> all = java.util.List.of(
                new ProcStat(1, 0, 'S', 1),
                new ProcStat(100, 1, 'S', 100),    // the command, session leader
                new ProcStat(101, 100, 'S', 100),  // its child
                new ProcStat(102, 101, 'S', 100),  // grandchild
                new ProcStat(103, 1, 'S', 100),    // orphan, reparented to init, still in the session
                new ProcStat(104, 103, 'S', 104),  // the orphan's child that called setsid: still a descendant
                new ProcStat(200, 1, 'S', 200));   // unrelated

        assertThat(ProcStat.tree(all, java.util.Set.of(100L), 100)).containsExactlyInAnyOrder(100L, 101L, 102L, 103L, 104L);
        assertThat(ProcStat.tree(all, java.util.Set.of(100L), -1)).containsExactlyInAnyOrder(101L, 102L);
    }
}
