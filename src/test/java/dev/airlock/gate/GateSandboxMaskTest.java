package dev.airlock.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate hands the sandbox the policy's masks: a command approved with {@code --yes} that the
 * analyzer cannot see into (an interpreter's inline code) still gets nothing the policy forbids.
 */
class GateSandboxMaskTest {
    private static final String DOTENV = "DOTENV-GATE-MARK-7f3a91c2";
    private static final String IGNORED = "IGNORED-GATE-MARK-55e0b7d4";
    private static final String KEY = "KEY-GATE-MARK-0c9d3e21";
    private static final String PY = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    GateFixture f = new GateFixture();

    @BeforeEach
    void repository() throws IOException, InterruptedException {
        git("init", "-q");
        Files.writeString(f.workspace.resolve(".gitignore"), "secret.txt\n");
        Files.writeString(f.workspace.resolve(".env"), DOTENV + "\n");
        Files.writeString(f.workspace.resolve("secret.txt"), IGNORED + "\n");
        Files.createDirectories(f.workspace.resolve("deploy"));
        Files.writeString(f.workspace.resolve("deploy/id_ed25519"), KEY + "\n");
        Files.writeString(f.workspace.resolve("README.md"), "readme\n");
    }

    @AfterEach
    void close() {
        f.close();
    }

    private void git(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("git", "-C", f.workspace.toString()));
        argv.addAll(List.of(args));
        assertThat(new ProcessBuilder(argv).inheritIO().start().waitFor()).isZero();
    }

    private String run(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        f.exec(f.gate(), line, ApprovalMode.YES, out, err);
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exec_anApprovedInterpreterGetsNothingFromEnvIgnoredOrKeyFiles() {
        // The names are put together inside the code, where the analyzer cannot see them: only the
        // sandbox stands between the interpreter and the file.
        for (String file : List.of("'.e'+'nv'", "'secr'+'et.txt'", "'deploy/id_'+'ed25519'", "'sub/../.e'+'nv'",
                "'./deploy//id_ed'+'25519'")) {
            String out = run(PY + " -c \"f=" + file + "; print(open(f).read()[::-1])\"; "
                    + PY + " -c \"import base64; f=" + file + "; print(base64.b64encode(open(f,'rb').read()))\"; "
                    + "echo ran");
            assertThat(out).contains("ran").doesNotContain(DOTENV, IGNORED, KEY,
                    new StringBuilder(DOTENV).reverse(), new StringBuilder(IGNORED).reverse(), "RE9URU5W");
        }
    }

    @Test
    void exec_masksTheCredentialStoresThePolicyNamesOutsideTheWorkspace() throws IOException {
        Path aws = Files.createDirectories(f.userHome.resolve(".aws"));
        Files.writeString(aws.resolve("credentials"), "AWS-GATE-MARK-2b8c\n");
        Path kube = Files.createDirectories(f.userHome.resolve(".kube"));
        Files.writeString(kube.resolve("config"), "KUBE-GATE-MARK-91d0\n");

        String out = run(PY + " -c \"import os; h=os.environ['HOME']; print(open(h+'/.a'+'ws/credentials').read());"
                + " print(os.listdir(h+'/.ku'+'be'))\"; echo ran");

        assertThat(out).contains("ran").doesNotContain("AWS-GATE-MARK", "KUBE-GATE-MARK", "'config'");
    }

    @Test
    void exec_anApprovedInterpreterCannotPlantAGitHook_butGitCommitStillWorks() throws IOException {
        // Names the analyzer cannot read (it would deny the literal ones before anything ran): the
        // sandbox alone has to hold.
        String out = run(PY + " -c \"open('.git/ho'+'oks/pre-commit','w').write('#!/bin/sh\\ntouch pwned\\n')\"; "
                + PY + " -c \"open('.git/con'+'fig','a').write('[core]\\n\\thooksPath = hooks\\n')\"; "
                + "git add -A && git -c user.name=a -c user.email=a@example.invalid commit -qm one && echo committed");

        assertThat(out).contains("committed");
        assertThat(f.workspace.resolve(".git/hooks/pre-commit")).doesNotExist();
        assertThat(Files.readString(f.workspace.resolve(".git/config"))).doesNotContain("hooksPath");
        assertThat(f.workspace.resolve("pwned")).doesNotExist();
        String tracked = run("git ls-files");
        assertThat(tracked).contains("README.md", ".gitignore").doesNotContain(".env", "secret.txt", "id_ed25519");
    }
}
