package dev.airlock.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.home.ExitCode;
import org.junit.jupiter.api.Test;

class KdfParamsTest {
    @Test
    void defaults_areArgon2id64MiBThreePassesFourLanes() {
        KdfParams d = KdfParams.defaults();
        assertThat(d.algorithm()).isEqualTo(KdfParams.Algorithm.ARGON2ID);
        assertThat(d.memoryKib()).isEqualTo(65536);
        assertThat(d.iterations()).isEqualTo(3);
        assertThat(d.parallelism()).isEqualTo(4);
        assertThat(d.encoded()).isEqualTo("m=65536,t=3,p=4");
    }

    @Test
    void scryptDefaults_areN2to17R8P1() {
        assertThat(KdfParams.scryptDefaults().encoded()).isEqualTo("ln=17,r=8,p=1");
    }

    @Test
    void argon2id_refusesMemoryBelowTheOwaspMinimumWithExit2() {
        assertThatThrownBy(() -> KdfParams.argon2id(19 * 1024 - 1, 2, 1)).isInstanceOf(VaultException.class)
                .satisfies(e -> assertThat(((VaultException) e).exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("OWASP minimum");
    }

    @Test
    void argon2id_refusesASinglePassWithExit2() {
        assertThatThrownBy(() -> KdfParams.argon2id(64 * 1024, 1, 4)).isInstanceOf(VaultException.class)
                .satisfies(e -> assertThat(((VaultException) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void argon2id_acceptsExactlyTheOwaspMinimum() {
        assertThat(KdfParams.argon2id(19 * 1024, 2, 1).encoded()).isEqualTo("m=19456,t=2,p=1");
    }

    @Test
    void scrypt_refusesCostBelowTheOwaspMinimumWithExit2() {
        assertThatThrownBy(() -> KdfParams.scrypt(16, 8, 1)).isInstanceOf(VaultException.class)
                .satisfies(e -> assertThat(((VaultException) e).exitCode()).isEqualTo(ExitCode.USAGE));
        assertThatThrownBy(() -> KdfParams.scrypt(17, 4, 1)).isInstanceOf(VaultException.class);
    }

    @Test
    void parametersAboveTheCeilingAreRefusedSoAHeaderCannotExhaustMemory() {
        assertThatThrownBy(() -> KdfParams.argon2id(4 * 1024 * 1024, 3, 4)).isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> KdfParams.scrypt(24, 8, 1)).isInstanceOf(VaultException.class);
    }

    @Test
    void decode_roundTripsAndRejectsHostileHeaders() {
        assertThat(KdfParams.decode("argon2id", "m=65536,t=3,p=4")).isEqualTo(KdfParams.defaults());
        assertThat(KdfParams.decode("scrypt", "ln=17,r=8,p=1")).isEqualTo(KdfParams.scryptDefaults());
        for (String bad : new String[] {"", "m=65536", "m=65536,t=3,p=4,x=1", "m=65536,t=3,p=-4", "m=1024,t=3,p=4",
                "m=99999999,t=3,p=4", "t=3,m=65536,p=4", "m=65536,t=3,p=4,p=4"}) {
            assertThatThrownBy(() -> KdfParams.decode("argon2id", bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> KdfParams.decode("pbkdf2", "i=1")).isInstanceOf(IllegalArgumentException.class);
    }
}
