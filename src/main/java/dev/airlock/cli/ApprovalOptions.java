package dev.airlock.cli;

import picocli.CommandLine.Option;

/** {@code --yes} or {@code --non-interactive}: how asks are resolved. Neither overrides a deny. */
final class ApprovalOptions {
    @Option(names = "--yes", description = {"Approve what would be asked: commands and tool calls the policy asks about,",
        "workflow gates. Recorded with approver --yes; never overrides a deny."})
    boolean yes;

    @Option(names = "--non-interactive", description = {"Refuse what would be asked (exit 5 for exec and run;",
        "a workflow run stays parked for 'airlock approve' and --resume)."})
    boolean nonInteractive;

    dev.airlock.gate.ApprovalMode mode() {
        if (yes && nonInteractive) {
            throw dev.airlock.home.AirlockException.usage("--yes and --non-interactive exclude each other; pick one");
        }
        return yes ? dev.airlock.gate.ApprovalMode.YES : nonInteractive ? dev.airlock.gate.ApprovalMode.NON_INTERACTIVE
                : dev.airlock.gate.ApprovalMode.INTERACTIVE;
    }
}
