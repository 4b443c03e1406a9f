package dev.airlock.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxProbeTest {
    @TempDir
    Path dir;

    @Test
    void probe_reportsAWorkingBubblewrapWithItsVersion() {
        SandboxProbe.Report report = SandboxProbe.probe();

        assertThat(report.works()).as(report.reason()).isTrue();
        assertThat(report.executable()).isPresent();
        assertThat(report.version()).startsWith("bubblewrap");
        assertThat(report.reason()).contains("works");
    }

    @Test
    void probe_saysHowToInstallWhenBwrapIsNotOnPath() {
        SandboxProbe.Report report = SandboxProbe.probe(dir.toString());

        assertThat(report.works()).isFalse();
        assertThat(report.executable()).isEmpty();
        assertThat(report.reason()).contains("not on PATH").contains("bubblewrap");
    }

    @Test
    void probe_reportsABwrapThatIsInstalledButFails() throws IOException {
        // Stands in for a bwrap that cannot create namespaces here, as in many containers.
        Path fake = Files.writeString(dir.resolve("bwrap"),
                "#!/bin/sh\necho 'bwrap: Creating new namespace failed: Operation not permitted' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));

        SandboxProbe.Report report = SandboxProbe.probe(dir + ":/usr/bin:/bin");

        assertThat(report.works()).isFalse();
        assertThat(report.executable()).contains(fake.toRealPath());
        assertThat(report.reason()).contains("exited with status 1").contains("Operation not permitted")
                .contains("namespaces");
    }

    @Test
    void locate_ignoresRelativePathEntriesSoAPlantedBwrapIsNeverUsed() throws IOException {
        Path planted = Files.writeString(dir.resolve("bwrap"), "#!/bin/sh\nexec \"$@\"\n");
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwx------"));
        Path relative = Path.of("").toAbsolutePath().relativize(dir);

        assertThat(Executables.find("bwrap", relative + ":.:")).isEmpty();
        assertThat(Executables.find("bwrap", dir.toString())).contains(planted.toRealPath());
    }
}
