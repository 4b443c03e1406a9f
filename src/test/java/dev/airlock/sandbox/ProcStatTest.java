package dev.airlock.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcStatTest {
    @Test
    void parse_countsFieldsFromTheLastParenthesisSoACraftedCommandNameCannotShiftThem() {
        // A process may name itself "x) R 1 1 1" to spoof the fields that follow its name.
        String stat = "4242 (x) R 1 1 1 (evil) Z 7 8 99 0 -1 4194560 0 0 0 0 0 0";

        assertThat(ProcStat.parse(stat)).contains(new ProcStat('Z', 99));
    }

    @Test
    void parse_readsAnOrdinaryLine() {
        assertThat(ProcStat.parse("17 (bash) S 1 17 17 34816 17 4194560 ...")).contains(new ProcStat('S', 17));
    }

    @Test
    void parse_rejectsGarbage() {
        assertThat(ProcStat.parse("")).isEqualTo(Optional.empty());
        assertThat(ProcStat.parse("12 (x)")).isEmpty();
        assertThat(ProcStat.parse("12 (x) S a b c")).isEmpty();
    }

    @Test
    void read_seesThisJvmAsRunning() {
        assertThat(ProcStat.read(ProcessHandle.current())).hasValueSatisfying(st -> assertThat(st.state()).isNotEqualTo('Z'));
        assertThat(ProcessRunner.isRunning(ProcessHandle.current())).isTrue();
    }
}
