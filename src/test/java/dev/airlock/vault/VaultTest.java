package dev.airlock.vault;

import static dev.airlock.vault.TestTenant.password;
import static dev.airlock.vault.TestTenant.reveal;
import static dev.airlock.vault.TestTenant.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditException;
import dev.airlock.home.ExitCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultTest {
    @TempDir
    Path dir;

    TestTenant tenant;

    @BeforeEach
    void setUp() {
        tenant = new TestTenant(dir, "acme");
    }

    private static ExitCode exitOf(Throwable t) {
        return ((VaultException) t).exitCode();
    }

    private Map<String, Object> headerRow() {
        return tenant.jdbi.withHandle(h -> h.createQuery("SELECT * FROM vault_header").mapToMap().one());
    }

    private List<String> actions() {
        return tenant.audit.events().stream().map(e -> e.action() + ":" + e.outcome()).toList();
    }

    @Test
    void initialize_thenUnlock_returnsTheValuesThatWereSet() {
        try (UnlockedVault v = tenant.init("correct horse")) {
            v.set("OPENAI_API_KEY", secret("value-one"));
        }
        try (UnlockedVault v = tenant.vault.unlock(password("correct horse"))) {
            assertThat(reveal(v.get("OPENAI_API_KEY"))).isEqualTo("value-one");
        }
        assertThat(tenant.vault.isInitialized()).isTrue();
        assertThat(tenant.vault.kdfParams()).isEqualTo(TestTenant.MIN_KDF);
    }

    @Test
    void set_twice_incrementsTheVersionAndKeepsTheLatestValue() {
        try (UnlockedVault v = tenant.init("pw")) {
            v.set("TOKEN", secret("first"));
            v.set("TOKEN", secret("second"));
            assertThat(reveal(v.get("TOKEN"))).isEqualTo("second");
            assertThat(v.list()).filteredOn(e -> e.name().equals("TOKEN")).singleElement()
                    .satisfies(e -> assertThat(e.version()).isEqualTo(2));
        }
    }

    @Test
    void list_showsNamesVersionsAndTimesWithoutUnlocking() {
        try (UnlockedVault v = tenant.init("pw")) {
            v.set("B_KEY", secret("b"));
            v.set("A_KEY", secret("a"));
        }
        List<VaultEntry> entries = tenant.vault.list();
        assertThat(entries.stream().filter(e -> !e.internal()).map(VaultEntry::name)).containsExactly("A_KEY", "B_KEY");
        assertThat(entries.stream().filter(VaultEntry::internal).map(VaultEntry::name))
                .containsExactlyInAnyOrder("airlock.identity.ed25519", "airlock.identity.x25519");
        assertThat(entries).allSatisfy(e -> assertThat(e.created()).isNotNull());
    }

    @Test
    void unlock_withAWrongPassword_failsWithExit7_changesNothing_andIsAudited() {
        tenant.init("right").close();
        Map<String, Object> before = headerRow();
        char[] wrong = password("wrong");
        assertThatThrownBy(() -> tenant.vault.unlock(wrong)).isInstanceOf(VaultException.class)
                .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH))
                .hasMessageContaining("wrong password").hasMessageNotContaining("right").hasMessageNotContaining("wrong\"");
        assertThat(wrong).as("the password array is cleared").containsOnly('\0');
        assertThat(headerRow()).usingRecursiveComparison().isEqualTo(before);
        assertThat(actions()).endsWith("vault.unlock:failure");
        AuditEvent failure = tenant.audit.events().getLast();
        assertThat(failure.details()).containsEntry("reason", "wrong-password");
    }

    @Test
    void everyMutationRevealAndUnlock_isAuditedWithTheNameAndNeverTheValue() {
        try (UnlockedVault v = tenant.init("pw")) {
            v.set("DB_PASSWORD", secret("audit-check-value"));
            v.get("DB_PASSWORD").destroy();
            v.remove("DB_PASSWORD");
            v.changePassword(password("pw2"), TestTenant.MIN_KDF);
        }
        tenant.vault.unlock(password("pw2")).close();
        assertThat(actions()).containsExactly("vault.create:success", "vault.secret.set:success", "vault.secret.get:success",
                "vault.secret.remove:success", "vault.password.change:success", "vault.unlock:success");
        assertThat(tenant.audit.events()).filteredOn(e -> e.action().startsWith("vault.secret"))
                .allSatisfy(e -> assertThat(e.target()).isEqualTo("secret:DB_PASSWORD"));
        assertThat(tenant.audit.events().toString()).doesNotContain("audit-check-value");
    }

    @Test
    void changePassword_rewrapsTheDataKeySoOldPasswordFailsAndValuesStayUntouched() {
        byte[] ciphertextBefore;
        try (UnlockedVault v = tenant.init("old")) {
            v.set("KEY", secret("kept"));
            ciphertextBefore = ciphertext("KEY");
            v.changePassword(password("new"), KdfParams.argon2id(19 * 1024, 3, 1));
        }
        assertThat(ciphertext("KEY")).as("values are not re-encrypted").isEqualTo(ciphertextBefore);
        assertThatThrownBy(() -> tenant.vault.unlock(password("old"))).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH));
        try (UnlockedVault v = tenant.vault.unlock(password("new"))) {
            assertThat(reveal(v.get("KEY"))).isEqualTo("kept");
        }
        assertThat(tenant.vault.kdfParams().iterations()).isEqualTo(3);
    }

    @Test
    void scryptVault_unlocksWithItsStoredParameters() {
        tenant.vault.initialize(password("pw"), KdfParams.scryptDefaults()).close();
        assertThat(tenant.vault.kdfParams()).isEqualTo(KdfParams.scryptDefaults());
        tenant.vault.unlock(password("pw")).close();
    }

    @Test
    void initialize_refusesASecondVaultAndAnEmptyPassword() {
        assertThatThrownBy(() -> tenant.vault.initialize(new char[0], TestTenant.MIN_KDF))
                .satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE));
        tenant.init("pw").close();
        assertThatThrownBy(() -> tenant.init("pw")).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("already has a vault");
    }

    @Test
    void unlock_beforeInit_tellsTheUserToRunInit() {
        assertThatThrownBy(() -> tenant.vault.unlock(password("pw"))).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("airlock init");
    }

    @Test
    void names_areValidatedAndInvalidOnesAreNotEchoed() {
        try (UnlockedVault v = tenant.init("pw")) {
            for (String bad : new String[] {"", "1ABC", "has space", "sk-live/abc", "x".repeat(129), "semi;colon"}) {
                assertThatThrownBy(() -> v.set(bad, secret("v"))).as(bad).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE))
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad.isEmpty() ? "\u0000" : bad));
            }
            v.set("_ok.name-1", secret("v"));
            v.set("x".repeat(128), secret("v"));
        }
    }

    @Test
    void reservedIdentityEntries_cannotBeReadReplacedOrRemovedThroughTheSecretsApi() {
        try (UnlockedVault v = tenant.init("pw")) {
            assertThatThrownBy(() -> v.get("airlock.identity.ed25519")).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE));
            assertThatThrownBy(() -> v.set("airlock.identity.ed25519", secret("x"))).isInstanceOf(VaultException.class);
            assertThatThrownBy(() -> v.remove("airlock.identity.x25519")).isInstanceOf(VaultException.class);
        }
    }

    @Test
    void get_ofAnUnknownName_failsWithExit2AndIsAuditedAsAFailure() {
        try (UnlockedVault v = tenant.init("pw")) {
            assertThatThrownBy(() -> v.get("MISSING")).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE))
                    .hasMessageContaining("MISSING");
            assertThatThrownBy(() -> v.remove("MISSING")).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE));
        }
        assertThat(actions()).contains("vault.secret.get:failure").doesNotContain("vault.secret.remove:success");
    }

    @Test
    void aClosedSession_isLockedAndRefusesEveryOperationWithExit7() {
        UnlockedVault v = tenant.init("pw");
        v.set("K", secret("v"));
        Identity identity = v.identity();
        v.close();
        assertThat(v.isClosed()).isTrue();
        assertThatThrownBy(() -> v.get("K")).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH));
        assertThatThrownBy(() -> v.set("K", secret("w"))).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH));
        assertThatThrownBy(() -> identity.sign(new byte[] {1})).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH));
    }

    @Test
    void aMutationWhoseAuditRowCannotBeWritten_doesNotHappen() {
        try (UnlockedVault v = tenant.init("pw")) {
            v.set("K", secret("original"));
            tenant.audit.failWrites(true);
            assertThatThrownBy(() -> v.set("K", secret("replacement"))).isInstanceOf(AuditException.class);
            assertThatThrownBy(() -> v.remove("K")).isInstanceOf(AuditException.class);
            assertThatThrownBy(() -> v.get("K")).as("no audit row, no reveal").isInstanceOf(AuditException.class);
            tenant.audit.failWrites(false);
            assertThat(reveal(v.get("K"))).isEqualTo("original");
            assertThat(v.list()).filteredOn(e -> e.name().equals("K")).singleElement()
                    .satisfies(e -> assertThat(e.version()).isEqualTo(1));
        }
    }

    @Test
    void unlockedValues_areExposedToTheRedactorAsCopiesAndListenersHearNewOnes() {
        try (UnlockedVault v = tenant.init("pw")) {
            List<String> heard = new ArrayList<>();
            v.addUnlockedValueListener(s -> heard.add(reveal(s)));
            v.set("A", secret("alpha"));
            v.set("B", secret("beta"));
            v.get("A").destroy();
            List<String> known = new ArrayList<>();
            v.forEachUnlockedValue(s -> {
                known.add(reveal(s));
                s.destroy();
            });
            assertThat(known).containsExactlyInAnyOrder("alpha", "beta");
            assertThat(heard).containsExactly("alpha", "beta");
            List<String> again = new ArrayList<>();
            v.forEachUnlockedValue(s -> again.add(reveal(s)));
            assertThat(again).as("destroying a copy does not affect the session").hasSize(2);
            List<String> late = new ArrayList<>();
            v.addUnlockedValueListener(s -> late.add(reveal(s)));
            v.set("C", secret("gamma"));
            assertThat(late).as("a late listener gets the known values replayed, then new ones").containsExactly("alpha", "beta", "gamma");
        }
    }

    @Test
    void loadAllForRedaction_makesEveryStoredValueKnownWithOneAuditRow() {
        try (UnlockedVault v = tenant.init("pw")) {
            v.set("A", secret("alpha"));
            v.set("B", secret("beta"));
        }
        try (UnlockedVault v = tenant.vault.unlock(password("pw"))) {
            assertThat(v.loadAllForRedaction()).isEqualTo(2);
            List<String> known = new ArrayList<>();
            v.forEachUnlockedValue(s -> known.add(reveal(s)));
            assertThat(known).containsExactlyInAnyOrder("alpha", "beta");
        }
        assertThat(tenant.audit.events().getLast().details()).containsEntry("names", List.of("A", "B"));
    }

    @Test
    void secretReference_isResolvedOnlyAtTheMomentOfUse() {
        tenant.init("pw").set("API_KEY", secret("resolved-value"));
        int[] unlocks = {0};
        SecretResolver resolver = SecretResolver.create(() -> {
            unlocks[0]++;
            return tenant.vault.unlock(password("pw"));
        });
        assertThat(SecretResolver.isReference("secret:API_KEY")).isTrue();
        assertThat(SecretResolver.referencedName("plain")).isEmpty();
        assertThat(reveal(resolver.resolve("literal-value"))).isEqualTo("literal-value");
        assertThat(unlocks[0]).as("a literal needs no vault").isZero();
        assertThat(reveal(resolver.resolve("secret:API_KEY"))).isEqualTo("resolved-value");
        assertThat(unlocks[0]).isEqualTo(1);
        assertThatThrownBy(() -> resolver.resolve("secret:NOPE")).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE));
        assertThatThrownBy(() -> resolver.resolve("secret:bad name")).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void secretReference_withALockedVault_failsWithExit7() {
        tenant.init("pw").close();
        SecretResolver resolver = SecretResolver.create(() -> tenant.vault.unlock(PasswordSource.read(Map.of(), PasswordPrompt.none())));
        assertThatThrownBy(() -> resolver.resolve("secret:API_KEY")).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.AUTH))
                .hasMessageContaining("AIRLOCK_PASSWORD_FILE");
    }

    @Test
    void aDatabaseCopiedToAnotherTenantName_doesNotUnlock() {
        tenant.init("pw").close();
        Vault other = TestTenant.vaultFor("other", tenant.jdbi, tenant.audit);
        assertThatThrownBy(() -> other.unlock(password("pw"))).satisfies(e -> assertThat(exitOf(e)).isEqualTo(ExitCode.INTEGRITY))
                .hasMessageContaining("another tenant");
    }

    private byte[] ciphertext(String name) {
        return tenant.jdbi.withHandle(h -> h.createQuery("SELECT ciphertext FROM vault_entry WHERE name = :n").bind("n", name)
                .mapTo(byte[].class).one());
    }
}
