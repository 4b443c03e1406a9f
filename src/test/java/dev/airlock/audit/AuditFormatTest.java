package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The hashing rule of docs/audit-format.md, recomputed here independently of AuditChain. */
class AuditFormatTest {
    private static final String LOG_ID = "00000000-0000-4000-8000-000000000000";

    private static String sha256Hex(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void genesis_isSha256OfPrefixAndLogId() throws Exception {
        assertThat(AuditChain.genesis(LOG_ID))
                .isEqualTo(sha256Hex(("airlock-audit-v1:" + LOG_ID).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void hash_matchesTheDocumentedExample() throws Exception {
        String genesis = AuditChain.genesis(LOG_ID);
        String rowJson = "{\"action\":\"tenant.create\",\"actor\":\"user\",\"details\":{\"log_id\":\"" + LOG_ID + "\"},"
                + "\"outcome\":\"success\",\"prev_hash\":\"" + genesis + "\",\"seq\":1,\"target\":\"tenant:ops\","
                + "\"time\":1763779200000}";
        String expected = sha256Hex(HexFormat.of().parseHex(genesis), rowJson.getBytes(StandardCharsets.UTF_8));
        String details = "{\"log_id\":\"" + LOG_ID + "\"}";
        assertThat(AuditChain.canonicalRow(1, 1763779200000L, "user", "tenant.create", "tenant:ops", "success", details, genesis))
                .isEqualTo(rowJson);
        assertThat(new AuditChain().hash(1, 1763779200000L, "user", "tenant.create", "tenant:ops", "success", details, genesis))
                .isEqualTo(expected);
    }

    @Test
    void canonicalRow_escapesStringsAsRfc8785() {
        String json = AuditChain.canonicalRow(2, 0, "user", "a.b", "t\u0001\"\\/é😀\n", "success", "{}", "00");
        assertThat(json).contains("\"target\":\"t\\u0001\\\"\\\\/é😀\\n\"");
    }
}
