package dev.airlock.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.policy.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression: a refusal said "security mode asks before every tool call" when security mode was off
 * (the agent's permission for the tool was ask). The ask a requester adds carries its own reason.
 */
class GateLimitMessageTest {
    private static final Decision ALLOW = new Decision.Allow(List.of("reading a.txt is inside the read scope"), List.of(), List.of());

    @Test
    void limit_askAlways_addsTheRequestersOwnReason_neverSecurityModeUnlessSaid() {
        Decision d = Gate.limit(ALLOW, new ExecRequest.Limits(false, true, "agent 'coder' has permission ask for write_file"));
        assertThat(d).isInstanceOf(Decision.Ask.class);
        assertThat(d.reasons()).contains("agent 'coder' has permission ask for write_file")
                .noneMatch(r -> r.toLowerCase(java.util.Locale.ROOT).contains("security mode"));
    }

    @Test
    void limit_askAlwaysWithoutAReason_saysOnlyThatTheRequesterAsks() {
        Decision d = Gate.limit(ALLOW, new ExecRequest.Limits(false, true));
        assertThat(d.reasons()).contains("the requester asks before every call")
                .noneMatch(r -> r.toLowerCase(java.util.Locale.ROOT).contains("security mode"));
    }

    @Test
    void limit_withoutAskAlways_leavesAnAllowAlone() {
        assertThat(Gate.limit(ALLOW, ExecRequest.Limits.NONE)).isEqualTo(ALLOW);
    }
}
