package dev.airlock.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throw-away workspace and home with the files the corpus talks about: secrets, ignored build
 * output, a symlink into ~/.ssh, shell start-up files. Nothing outside the two temp directories is
 * touched.
 */
final class PolicyFixture {
    final Path root;
    final Path workspace;
    final Path home;
    final Path airlockHome;
    final PathContext ctx;

    PolicyFixture(Path tmp) throws IOException {
        root = tmp.toRealPath();
        workspace = Files.createDirectories(root.resolve("ws"));
        home = Files.createDirectories(root.resolve("home"));
        airlockHome = Files.createDirectories(home.resolve(".local/share/airlock"));
        write(workspace.resolve("README.md"), "# demo\n");
        write(workspace.resolve("a.txt"), "a\n");
        write(workspace.resolve("src/Main.java"), "class Main {}\n");
        write(workspace.resolve(".env"), "API_KEY=x\n");
        write(workspace.resolve(".env.local"), "API_KEY=y\n");
        write(workspace.resolve("config/server.key"), "-----BEGIN PRIVATE KEY-----\n");
        write(workspace.resolve("certs/tls.pem"), "-----BEGIN CERTIFICATE-----\n");
        write(workspace.resolve(".gitignore"), "target/\n*.log\nsecrets/\n!keep.log\n");
        write(workspace.resolve("target/classes/App.class"), "x");
        write(workspace.resolve("app.log"), "log\n");
        write(workspace.resolve("keep.log"), "kept\n");
        write(workspace.resolve("secrets/db.txt"), "pw\n");
        write(workspace.resolve(".dockerignore"), "node_modules\n");
        write(workspace.resolve(".git/hooks/pre-commit.sample"), "#!/bin/sh\n");
        write(workspace.resolve(".git/config"), "[core]\n");
        write(workspace.resolve("docs/guide.md"), "guide\n");
        write(home.resolve(".ssh/id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        write(home.resolve(".ssh/config"), "Host *\n");
        write(home.resolve(".aws/credentials"), "[default]\n");
        write(home.resolve(".kube/config"), "apiVersion: v1\n");
        write(home.resolve(".docker/config.json"), "{}\n");
        write(home.resolve(".config/gcloud/credentials.db"), "x");
        write(home.resolve(".bashrc"), "# rc\n");
        write(home.resolve(".zshrc"), "# rc\n");
        write(home.resolve(".profile"), "# profile\n");
        write(home.resolve(".netrc"), "machine x\n");
        write(home.resolve("notes.txt"), "notes\n");
        write(airlockHome.resolve("tenants/default/airlock.db"), "x");
        Files.createSymbolicLink(workspace.resolve("sshlink"), home.resolve(".ssh"));
        Files.createSymbolicLink(workspace.resolve("innocent.txt"), home.resolve(".ssh/id_rsa"));
        Files.createSymbolicLink(workspace.resolve("rclink"), home.resolve(".bashrc"));
        ctx = PathContext.create(workspace, home, airlockHome);
    }

    private static void write(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }
}
