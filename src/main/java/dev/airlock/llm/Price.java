package dev.airlock.llm;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/**
 * What a model costs, in US dollars per million tokens.
 */
public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
    /** Local models: nothing to pay. */
    public static final Price FREE = new Price(BigDecimal.ZERO, BigDecimal.ZERO);

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    public Price {
        Objects.requireNonNull(inputPerMillion);
        Objects.requireNonNull(outputPerMillion);
        if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
            throw new IllegalArgumentException("a price cannot be negative");
        }
    }

    /** The cost of {@code usage} in US dollars. */
    public BigDecimal cost(Usage usage) {
        return cost(usage.inputTokens(), usage.outputTokens());
    }

    /** The cost of the given token counts in US dollars. */
    public BigDecimal cost(long inputTokens, long outputTokens) {
        return inputPerMillion.multiply(BigDecimal.valueOf(inputTokens))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(outputTokens)))
                .divide(MILLION, MathContext.DECIMAL64);
    }
}
