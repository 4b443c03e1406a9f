package dev.airlock.cli;

import picocli.CommandLine.Option;

/** {@code --yes} or {@code --non-interactive}: how asks are resolved. Neither overrides a deny. */
final class ApprovalOptions {
    @Option(names = "--yes", description = "Approve what the policy asks about (never overrides a deny).")
    boolean yes;

    @Option(names = "--non-interactive", description = "Refuse what the policy asks about (exit 5 for exec).")
    boolean nonInteractive;

    dev.airlock.gate.ApprovalMode mode() {
        if (yes && nonInteractive) {
            throw dev.airlock.home.AirlockException.usage("--yes and --non-interactive exclude each other; pick one");
        }
        return yes ? dev.airlock.gate.ApprovalMode.YES : nonInteractive ? dev.airlock.gate.ApprovalMode.NON_INTERACTIVE
                : dev.airlock.gate.ApprovalMode.INTERACTIVE;
    }
}
