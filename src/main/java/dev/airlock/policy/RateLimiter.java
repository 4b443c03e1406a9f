package dev.airlock.policy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per (agent, tool): each bucket holds up to {@code capacity} tokens and refills
 * continuously at {@code capacity} per {@code period}. Time comes from the injected {@link Clock}, so
 * tests advance a fake clock instead of sleeping. Thread-safe.
 */
public final class RateLimiter {
    /** A limit: {@code capacity} calls per {@code period}, bursts up to {@code capacity}. */
    public record Limit(int capacity, Duration period) {
        public Limit {
            if (capacity <= 0 || period.isNegative() || period.isZero()) {
                throw new PolicyException("A rate limit needs a positive capacity and period, not " + capacity
                        + " per " + period + ".");
            }
        }
    }

    private record Key(String agent, String tool) {
    }

    private static final class Bucket {
        private final Limit limit;
        private double tokens;
        private long lastNanos;

        Bucket(Limit limit, long now) {
            this.limit = limit;
            this.tokens = limit.capacity();
            this.lastNanos = now;
        }

        synchronized long tryTake(long now) {
            double perNano = limit.capacity() / (double) limit.period().toNanos();
            if (now > lastNanos) {
                tokens = Math.min(limit.capacity(), tokens + (now - lastNanos) * perNano);
                lastNanos = now;
            }
            if (tokens >= 1.0) {
                tokens -= 1.0;
                return 0;
            }
            return (long) Math.ceil((1.0 - tokens) / perNano);
        }
    }

    private final Clock clock;
    private final Limit defaultLimit;
    private final Map<Key, Limit> limits;
    private final ConcurrentHashMap<Key, Bucket> buckets = new ConcurrentHashMap<>();

    private RateLimiter(Clock clock, Limit defaultLimit, Map<Key, Limit> limits) {
        this.clock = clock;
        this.defaultLimit = defaultLimit;
        this.limits = Map.copyOf(limits);
    }

    /** Every (agent, tool) pair gets {@code defaultLimit}. */
    public static RateLimiter create(Clock clock, Limit defaultLimit) {
        return new RateLimiter(clock, defaultLimit, Map.of());
    }

    /** A copy with a specific limit for one agent and tool ({@code *} as agent: every agent). */
    public RateLimiter withLimit(String agent, String tool, Limit limit) {
        Map<Key, Limit> m = new java.util.HashMap<>(limits);
        m.put(new Key(agent, tool), limit);
        return new RateLimiter(clock, defaultLimit, m);
    }

    private Limit limitFor(Key k) {
        Limit l = limits.get(k);
        if (l == null) {
            l = limits.get(new Key("*", k.tool()));
        }
        return l == null ? defaultLimit : l;
    }

    private long nowNanos() {
        var i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** Takes a token if one is there: Allow, or Deny with the time to wait. */
    public Decision check(String agent, String tool) {
        Key k = new Key(agent, tool);
        long now = nowNanos();
        Bucket b = buckets.computeIfAbsent(k, key -> new Bucket(limitFor(key), now));
        long waitNanos = b.tryTake(now);
        if (waitNanos == 0) {
            return new Decision.Allow(List.of(), List.of(), List.of());
        }
        Limit l = b.limit;
        Duration wait = Duration.ofNanos(waitNanos);
        return new Decision.Deny(List.of("rate limit for agent " + agent + " and tool " + tool + ": "
                + l.capacity() + " per " + l.period() + "; try again in " + Math.max(1, wait.toMillis()) + " ms"),
                List.of(new MatchedRule("rate_limit." + tool, Verdict.DENY, null, "builtin")), List.of());
    }

    /** Convenience: whether a token was taken. */
    public boolean tryAcquire(String agent, String tool) {
        return check(agent, tool) instanceof Decision.Allow;
    }
}
