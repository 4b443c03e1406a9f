package dev.airlock.cli;

import dev.airlock.home.AirlockException;
import dev.airlock.redact.Finding;
import dev.airlock.redact.Redactor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "redact", description = {
    "Scrub credentials and personal data from files (or stdin) before sharing them.",
    "Prints the redacted text, or with --report where each finding is (type, line, column, length; never the value)."})
final class RedactCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Files to read; stdin when none.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--report", description = "List findings instead of printing redacted text.")
    boolean report;

    @Option(names = "--with-vault", description = "Also scrub every value in the tenant's vault (unlocks it; audited).")
    boolean withVault;

    @Override
    public Integer call() throws IOException {
        Session s = root.session();
        s.config();
        if (withVault) {
            s.unlock(s.tenantName()).loadAllForRedaction();
        }
        Redactor r = s.redactor();
        List<Map<String, Object>> findings = new ArrayList<>();
        if (files.isEmpty()) {
            handle(r, "-", new InputStreamReader(root.cli.in, StandardCharsets.UTF_8), findings);
        } else {
            for (Path f : files) {
                if (Files.isDirectory(f)) {
                    throw AirlockException.usage(f + " is a folder; pass files (e.g. with find … -type f)");
                }
                try (Reader in = new InputStreamReader(Files.newInputStream(f),
                        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE))) {
                    handle(r, f.toString(), in, findings);
                } catch (NoSuchFileException e) {
                    throw AirlockException.usage("no such file: " + f);
                } catch (CharacterCodingException e) {
                    throw AirlockException.usage(f + " is not UTF-8 text");
                }
            }
        }
        if (report) {
            if (root.json) {
                root.cli.out.println(Json.write(findings));
            } else {
                for (Map<String, Object> m : findings) {
                    root.cli.out.printf("%s:%s:%s: %s (%s chars)%n", m.get("file"), m.get("line"), m.get("column"),
                            m.get("type"), m.get("length"));
                }
                root.cli.err.println(findings.size() + " finding(s).");
            }
        }
        root.cli.out.flush();
        return 0;
    }

    private void handle(Redactor r, String name, Reader in, List<Map<String, Object>> findings) throws IOException {
        if (!report) {
            r.redact(in, root.cli.out);
            return;
        }
        // Reports need line and column, so the file is scanned whole; redaction itself streams.
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[1 << 16];
        for (int n; (n = in.read(buf)) >= 0; ) {
            sb.append(buf, 0, n);
        }
        for (Finding f : r.scan(sb.toString())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", name);
            m.put("type", f.type());
            m.put("line", f.line());
            m.put("column", f.column());
            m.put("length", f.length());
            findings.add(m);
        }
    }
}
