package dev.airlock.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.HistogramDiff;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

/** Unified diffs of a proposed write, shown to the approver (JGit's histogram diff). */
final class Diffs {
    static final int MAX_CHARS = 16 * 1024;

    private Diffs() {}

    static String unified(String name, String before, String after) {
        RawText a = new RawText(before.getBytes(StandardCharsets.UTF_8));
        RawText b = new RawText(after.getBytes(StandardCharsets.UTF_8));
        EditList edits = new HistogramDiff().diff(RawTextComparator.DEFAULT, a, b);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DiffFormatter f = new DiffFormatter(out)) {
            out.write(("--- a/" + name + "\n+++ b/" + name + "\n").getBytes(StandardCharsets.UTF_8));
            f.format(edits, a, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String diff = out.toString(StandardCharsets.UTF_8);
        if (edits.isEmpty()) {
            return "(no change)";
        }
        return diff.length() <= MAX_CHARS ? diff : diff.substring(0, MAX_CHARS) + "\n[diff cut at " + MAX_CHARS + " characters]";
    }

    /**
     * A write over a file the agent may not read: the new content only, and the same words whether
     * or not a file is there, so neither its content nor its existence shows.
     */
    static String withoutOld(String name, String after) {
        String body = after.isEmpty() ? "(empty)\n" : unified(name, "", after);
        return "(creates or replaces " + name + "; its current content, if any, is not shown: the agent may not read it)\n" + body;
    }

    /** An edit before the file may be read: the model's own old and new text, nothing of the file. */
    static String replacement(String oldText, String newText) {
        String s = "(the file's content is not shown before this is approved)\nreplace:\n" + quoted(oldText) + "with:\n" + quoted(newText);
        return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS) + "\n[cut at " + MAX_CHARS + " characters]";
    }

    private static String quoted(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            b.append("  | ").append(line).append('\n');
        }
        return b.toString();
    }
}
