package dev.airlock.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of {@code /proc/PID/stat} (proc(5)) that the runner needs and the JDK does not expose:
 * the state, to tell a zombie from a live process, and the session, to find a command's orphans.
 * One pass over {@code /proc} also yields the parent links, which is cheaper than
 * {@link ProcessHandle#descendants()} and {@link ProcessHandle#allProcesses()}, each a pass of its own.
 */
record ProcStat(long pid, long ppid, char state, long session) {
    private static final Path PROC = Path.of("/proc");

    /** Empty when the process is gone or there is no {@code /proc}. */
    static Optional<ProcStat> read(long pid) {
        try {
            return parse(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every process visible now; empty when there is no {@code /proc}. */
    static List<ProcStat> all() {
        List<ProcStat> result = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                    read(Long.parseLong(name)).ifPresent(result::add);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // No /proc (not Linux) or a race with an exiting process: return what was read.
        }
        return result;
    }

    /**
     * The pids of {@code roots}' descendants in {@code all}, plus every process of session
     * {@code session} (none when it is negative).
     */
    static Set<Long> tree(List<ProcStat> all, Set<Long> roots, long session) {
        Map<Long, List<Long>> children = new HashMap<>();
        Set<Long> result = new HashSet<>();
        for (ProcStat st : all) {
            children.computeIfAbsent(st.ppid(), k -> new ArrayList<>()).add(st.pid());
            if (session >= 0 && st.session() == session) {
                result.add(st.pid());
            }
        }
        Deque<Long> todo = new ArrayDeque<>(roots);
        todo.addAll(result);
        while (!todo.isEmpty()) {
            for (long child : children.getOrDefault(todo.pop(), List.of())) {
                if (result.add(child)) {
                    todo.push(child);
                }
            }
        }
        return result;
    }

    /**
     * Field 2 is the command name in parentheses and may itself hold spaces and parentheses, so the
     * fields after it are counted from the last ')': state, ppid, pgrp, session.
     */
    static Optional<ProcStat> parse(String stat) {
        int open = stat.indexOf(" (");
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= stat.length()) {
            return Optional.empty();
        }
        String[] fields = stat.substring(close + 2).split(" ");
        if (fields.length < 4 || fields[0].length() != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProcStat(Long.parseLong(stat.substring(0, open)), Long.parseLong(fields[1]),
                    fields[0].charAt(0), Long.parseLong(fields[3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
