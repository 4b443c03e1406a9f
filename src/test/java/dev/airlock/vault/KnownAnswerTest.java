package dev.airlock.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Published vectors through the exact wiring the vault uses (vault/known-answers.json). */
class KnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    private static JsonNode vectors() throws IOException {
        try (InputStream in = KnownAnswerTest.class.getResourceAsStream("/vault/known-answers.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static byte[] hex(JsonNode v, String field) {
        return HEX.parseHex(v.get(field).asText());
    }

    private static Stream<DynamicTest> each(JsonNode array, String kind, Consumer<JsonNode> check) {
        List<DynamicTest> tests = new ArrayList<>();
        array.forEach(v -> tests.add(DynamicTest.dynamicTest(kind + ": " + v.get("name").asText(), () -> check.accept(v))));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> argon2id_matchesRfc9106Vectors() throws IOException {
        return each(vectors().get("argon2id"), "Argon2id", v -> assertThat(Kdf.argon2id(hex(v, "password"), hex(v, "salt"),
                v.get("m").asInt(), v.get("t").asInt(), v.get("p").asInt(), hex(v, "secret"), hex(v, "ad"), 32))
                .isEqualTo(hex(v, "tag")));
    }

    @TestFactory
    Stream<DynamicTest> scrypt_matchesRfc7914Vectors() throws IOException {
        return each(vectors().get("scrypt"), "scrypt", v -> assertThat(Kdf.scrypt(hex(v, "password"), hex(v, "salt"),
                v.get("n").asInt(), v.get("r").asInt(), v.get("p").asInt(), 64)).isEqualTo(hex(v, "dk")));
    }

    @TestFactory
    Stream<DynamicTest> aesGcm_sealsAndOpensNistVectors() throws IOException {
        return each(vectors().get("aes256gcm"), "AES-256-GCM", v -> {
            assertThat(Crypto.seal(hex(v, "key"), hex(v, "nonce"), hex(v, "aad"), hex(v, "plaintext"))).isEqualTo(hex(v, "sealed"));
            try {
                assertThat(Crypto.open(hex(v, "key"), hex(v, "nonce"), hex(v, "aad"), hex(v, "sealed"))).isEqualTo(hex(v, "plaintext"));
            } catch (GeneralSecurityException e) {
                throw new AssertionError(e);
            }
            byte[] flipped = hex(v, "sealed");
            flipped[flipped.length - 1] ^= 1;
            assertThatThrownBy(() -> Crypto.open(hex(v, "key"), hex(v, "nonce"), hex(v, "aad"), flipped))
                    .isInstanceOf(GeneralSecurityException.class);
        });
    }

    @TestFactory
    Stream<DynamicTest> hkdf_matchesRfc5869Vectors() throws IOException {
        return each(vectors().get("hkdf"), "HKDF-SHA256", v -> assertThat(Crypto.hkdf(hex(v, "ikm"), hex(v, "salt"),
                hex(v, "info"), hex(v, "okm").length)).isEqualTo(hex(v, "okm")));
    }

    @TestFactory
    Stream<DynamicTest> ed25519_verifiesRfc8032VectorsAndRejectsAnyFlip() throws IOException {
        return each(vectors().get("ed25519"), "Ed25519", v -> {
            assertThat(Identity.verify(hex(v, "public"), hex(v, "message"), hex(v, "signature"))).isTrue();
            byte[] bad = hex(v, "signature");
            bad[0] ^= 1;
            assertThat(Identity.verify(hex(v, "public"), hex(v, "message"), bad)).isFalse();
        });
    }

    @TestFactory
    Stream<DynamicTest> x25519_matchesRfc7748Vectors() throws IOException {
        return each(vectors().get("x25519"), "X25519",
                v -> assertThat(Identity.x25519(hex(v, "private"), hex(v, "peer"))).isEqualTo(hex(v, "shared")));
    }
}
