package dev.airlock.audit;

import java.util.List;
import java.util.Optional;

/**
 * The result of verifying one tenant's audit log.
 *
 * @param tenant      the tenant verified
 * @param rows        rows read
 * @param head        hash of the last row read (the genesis value for an empty log)
 * @param checkpoints checkpoints found in the checkpoint file
 * @param signed      how many of them carried a valid signature
 * @param firstBreak  the first integrity failure, if any
 * @param notes       observations that are not failures (e.g. rows not yet covered by a checkpoint)
 * @param millis      time taken
 */
public record VerifyReport(String tenant, long rows, String head, int checkpoints, int signed,
        Optional<Break> firstBreak, List<String> notes, long millis) {

    /**
     * Where and how the log is broken.
     *
     * @param seq     the row concerned, or 0 when the break is not about one row
     * @param kind    a stable machine-readable name, e.g. {@code row-edited}, {@code tail-truncated}
     * @param message one line for a person: what, where, what next
     */
    public record Break(long seq, String kind, String message) {}

    public boolean intact() {
        return firstBreak.isEmpty();
    }
}
