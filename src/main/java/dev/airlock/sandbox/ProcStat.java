package dev.airlock.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The few fields of {@code /proc/PID/stat} (proc(5)) that the JDK does not expose: the state, to tell
 * a zombie from a live process, and the session, to find a command's orphans.
 */
record ProcStat(char state, long session) {

    /** Empty when the process is gone or there is no {@code /proc}. */
    static Optional<ProcStat> read(ProcessHandle h) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        return parse(stat);
    }

    /**
     * Field 2 is the command name in parentheses and may itself hold spaces and parentheses, so the
     * fields are counted from the last ')': state, ppid, pgrp, session.
     */
    static Optional<ProcStat> parse(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return Optional.empty();
        }
        String[] fields = stat.substring(close + 2).split(" ");
        if (fields.length < 4 || fields[0].length() != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProcStat(fields[0].charAt(0), Long.parseLong(fields[3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
