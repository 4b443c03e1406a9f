package dev.airlock.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The host's own secrets, masked in every sandbox whatever the caller hides: password and group
 * shadow files and their backups, sudo rules, host keys, keytabs, stored network credentials, other
 * users' mail, and the home folders of the other users.
 *
 * <p>"Other users" are {@code /root} and the homes in {@code /etc/passwd} of ordinary accounts (uid
 * 1000 to 65533), plus every folder under {@code /home}; never the home of the user Airlock runs as
 * (when that is root, as in CI, {@code /root} is that home and stays visible: what protects it
 * then is the caller's list of credential stores), and never a folder that holds the workspace or
 * a read-only bind (that one is masked writable-empty and the workspace bound again on top).
 * System accounts' homes ({@code /usr/sbin}, {@code /var/www}, {@code /bin}…) are not masked: they
 * hold programs the command needs, not a person's files.
 */
final class SystemSecrets {
    private SystemSecrets() {}

    static final List<String> FILES = List.of("/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-",
            "/etc/sudoers", "/etc/security/opasswd", "/etc/krb5.keytab", "/etc/ipsec.secrets",
            "/etc/ppp/chap-secrets", "/etc/ppp/pap-secrets");
    static final List<String> FOLDERS = List.of("/etc/sudoers.d", "/etc/ssl/private", "/etc/NetworkManager/system-connections",
            "/etc/wireguard", "/var/backups", "/var/mail", "/var/spool/mail", "/var/lib/sudo");

    /** One mask: {@code keepWritable} when something is bound again inside it. */
    record Mask(Path path, boolean keepWritable) {
    }

    /**
     * Masks for a sandbox whose user's home is {@code userHome} and whose workspace and binds are
     * {@code bound}; read from the host each time (cheap: a few stats, one small file).
     */
    static List<Mask> masks(Path userHome, List<Path> bound) {
        Set<Path> paths = new LinkedHashSet<>();
        for (String f : FILES) {
            paths.add(Path.of(f));
        }
        paths.addAll(hostKeys());
        for (String d : FOLDERS) {
            paths.add(Path.of(d));
        }
        Path home = realOr(userHome);
        for (Path h : homes()) {
            Path real = realOr(h);
            if (real.getParent() == null || real.equals(home) || home.startsWith(real)) {
                continue;
            }
            paths.add(real);
        }
        List<Mask> out = new ArrayList<>();
        Set<Path> seen = new java.util.HashSet<>();
        for (Path p : paths) {
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path real = realOr(p);
            if (!seen.add(real)) {
                continue; // /var/spool/mail is often a link to /var/mail
            }
            boolean holdsBound = bound.stream().anyMatch(b -> b.startsWith(real));
            boolean insideBound = bound.stream().anyMatch(b -> real.startsWith(b) && !real.equals(b));
            if (insideBound && !holdsBound) {
                continue; // the caller bound it on purpose (a home folder as the read-only bind, say)
            }
            if (bound.stream().anyMatch(real::equals)) {
                continue;
            }
            out.add(new Mask(real, holdsBound));
        }
        return out;
    }

    /** {@code /etc/ssh/ssh_host_*_key}: the private halves only; the public keys are public. */
    private static List<Path> hostKeys() {
        List<Path> keys = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/etc/ssh"), "ssh_host_*_key")) {
            ds.forEach(keys::add);
        } catch (IOException | RuntimeException e) {
            // no /etc/ssh: nothing to mask
        }
        return keys;
    }

    /** {@code /root}, every folder under {@code /home}, and the homes of ordinary accounts. */
    static List<Path> homes() {
        Set<Path> homes = new LinkedHashSet<>();
        homes.add(Path.of("/root"));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/home"))) {
            for (Path p : ds) {
                if (Files.isDirectory(p)) {
                    homes.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /home
        }
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length < 7) {
                    continue;
                }
                long uid;
                try {
                    uid = Long.parseLong(f[2]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if ((uid == 0 || (uid >= 1000 && uid < 65534)) && f[5].startsWith("/") && !f[5].equals("/")) {
                    Path h = Path.of(f[5]).normalize();
                    if (h.getNameCount() >= 2 || h.equals(Path.of("/root"))) {
                        homes.add(h);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no readable /etc/passwd: /root and /home still count
        }
        return new ArrayList<>(homes);
    }

    private static Path realOr(Path p) {
        return SandboxSpec.realIfExists(p).orElse(p.toAbsolutePath().normalize());
    }
}
