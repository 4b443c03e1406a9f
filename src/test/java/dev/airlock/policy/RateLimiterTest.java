package dev.airlock.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    /** A clock the test moves by hand; nothing sleeps. */
    static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @Test
    void bucket_allowsABurstThenDeniesWithTheTimeToWait() {
        FakeClock clock = new FakeClock();
        RateLimiter rl = RateLimiter.create(clock, new RateLimiter.Limit(3, Duration.ofMinutes(1)));
        assertThat(rl.tryAcquire("a", "shell")).isTrue();
        assertThat(rl.tryAcquire("a", "shell")).isTrue();
        assertThat(rl.tryAcquire("a", "shell")).isTrue();
        Decision d = rl.check("a", "shell");
        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.reasons().get(0)).contains("try again in 20000 ms");
    }

    @Test
    void bucket_refillsContinuouslyWithTheClock() {
        FakeClock clock = new FakeClock();
        RateLimiter rl = RateLimiter.create(clock, new RateLimiter.Limit(2, Duration.ofSeconds(10)));
        assertThat(rl.tryAcquire("a", "t")).isTrue();
        assertThat(rl.tryAcquire("a", "t")).isTrue();
        assertThat(rl.tryAcquire("a", "t")).isFalse();
        clock.advance(Duration.ofSeconds(4));
        assertThat(rl.tryAcquire("a", "t")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(rl.tryAcquire("a", "t")).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(rl.tryAcquire("a", "t")).isTrue();
        assertThat(rl.tryAcquire("a", "t")).isTrue();
        assertThat(rl.tryAcquire("a", "t")).isFalse();
    }

    @Test
    void buckets_areSeparatePerAgentAndTool_andSpecificLimitsApply() {
        FakeClock clock = new FakeClock();
        RateLimiter rl = RateLimiter.create(clock, new RateLimiter.Limit(1, Duration.ofMinutes(1)))
                .withLimit("*", "http", new RateLimiter.Limit(5, Duration.ofMinutes(1)))
                .withLimit("bot", "http", new RateLimiter.Limit(2, Duration.ofMinutes(1)));
        assertThat(rl.tryAcquire("a", "shell")).isTrue();
        assertThat(rl.tryAcquire("a", "shell")).isFalse();
        assertThat(rl.tryAcquire("b", "shell")).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(rl.tryAcquire("a", "http")).isTrue();
        }
        assertThat(rl.tryAcquire("a", "http")).isFalse();
        assertThat(rl.tryAcquire("bot", "http")).isTrue();
        assertThat(rl.tryAcquire("bot", "http")).isTrue();
        assertThat(rl.tryAcquire("bot", "http")).isFalse();
    }

    @Test
    void limit_rejectsNonsense() {
        assertThatThrownBy(() -> new RateLimiter.Limit(0, Duration.ofSeconds(1))).isInstanceOf(PolicyException.class);
        assertThatThrownBy(() -> new RateLimiter.Limit(1, Duration.ZERO)).isInstanceOf(PolicyException.class);
    }
}
