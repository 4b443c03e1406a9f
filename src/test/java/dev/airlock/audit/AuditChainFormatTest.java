package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hash format of docs/audit-format.md, pinned: known answers computed outside Java (Python
 * hashlib over hand-written canonical rows), an independent computation here with MessageDigest,
 * and a differential check of the byte-buffer hasher against the StringBuilder canonical form.
 */
class AuditChainFormatTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String LOG_ID = "00000000-0000-0000-0000-000000000000";
    private static final String GENESIS = "e0de12d5355fb24ad39705cf18121ba71f092ac3671de8418e019c14bacf14f3";
    private static final String HASH_1 = "b271e8a199c29fb5375d4810d880720e68a2af30ddf5cdc0a22173cf8ebc0669";
    private static final String HASH_42 = "83e0635637fca5b7f8971721f854e584d30fa6440896bd5c3612a6787c5aa594";
    private static final String TARGET_42 = "tab\there \"q\" back\\slash \u0001\u001f nl\n cr\r ff\f bs\b é € 😀";

    private static String independentHash(String prevHash, String canonical) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(HEX.parseHex(prevHash));
        md.update(canonical.getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(md.digest());
    }

    @Test
    void genesis_isTheKnownAnswer() {
        assertThat(AuditChain.genesis(LOG_ID)).isEqualTo(GENESIS);
    }

    @Test
    void hash_ofATypicalRow_isTheKnownAnswer() throws Exception {
        String canonical = "{\"action\":\"tenant.create\",\"actor\":\"user\",\"details\":{\"name\":\"ops\"},"
                + "\"outcome\":\"success\",\"prev_hash\":\"" + GENESIS + "\",\"seq\":1,\"target\":\"tenant:ops\","
                + "\"time\":1780000000000}";
        assertThat(independentHash(GENESIS, canonical)).isEqualTo(HASH_1);
        assertThat(new AuditChain().hash(1, 1_780_000_000_000L, "user", "tenant.create", "tenant:ops", "success",
                "{\"name\":\"ops\"}", GENESIS)).isEqualTo(HASH_1);
        assertThat(AuditChain.canonicalRow(1, 1_780_000_000_000L, "user", "tenant.create", "tenant:ops", "success",
                "{\"name\":\"ops\"}", GENESIS)).isEqualTo(canonical);
    }

    @Test
    void hash_ofARowWithEscapesAndNonAscii_isTheKnownAnswer() throws Exception {
        String canonical = "{\"action\":\"config.change\",\"actor\":\"agent:bot\",\"details\":{\"k\":\"ü 😀\"},"
                + "\"outcome\":\"failure\",\"prev_hash\":\"" + HASH_1 + "\",\"seq\":42,"
                + "\"target\":\"tab\\there \\\"q\\\" back\\\\slash \\u0001\\u001f nl\\n cr\\r ff\\f bs\\b é € 😀\","
                + "\"time\":1780000000123}";
        assertThat(independentHash(HASH_1, canonical)).isEqualTo(HASH_42);
        AuditChain chain = new AuditChain();
        // Twice on one instance: the reused buffers must not leak state between rows.
        for (int i = 0; i < 2; i++) {
            assertThat(chain.hash(42, 1_780_000_000_123L, "agent:bot", "config.change", TARGET_42, "failure",
                    "{\"k\":\"ü 😀\"}", HASH_1)).isEqualTo(HASH_42);
            assertThat(chain.hash(1, 1_780_000_000_000L, "user", "tenant.create", "tenant:ops", "success",
                    "{\"name\":\"ops\"}", GENESIS)).isEqualTo(HASH_1);
        }
    }

    @Test
    void hash_matchesTheStringForm_forRandomText() throws Exception {
        Random rnd = new Random(20261122);
        AuditChain chain = new AuditChain();
        String prev = GENESIS;
        for (int i = 0; i < 5_000; i++) {
            String actor = randomText(rnd, 12);
            String action = randomText(rnd, 20);
            String target = randomText(rnd, i % 50 == 0 ? 2_000 : 40);
            String outcome = randomText(rnd, 8);
            String details = randomText(rnd, 150);
            long seq = rnd.nextLong(1, Long.MAX_VALUE);
            long time = rnd.nextLong();
            String expected = independentHash(prev, AuditChain.canonicalRow(seq, time, actor, action, target, outcome,
                    details, prev));
            assertThat(chain.hash(seq, time, actor, action, target, outcome, details, prev)).isEqualTo(expected);
            prev = expected;
        }
    }

    /** ASCII (controls, quotes, backslashes), 2- and 3-byte chars, pairs, and lone surrogates. */
    private static String randomText(Random rnd, int max) {
        StringBuilder b = new StringBuilder();
        int n = rnd.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(8)) {
                case 0 -> b.append((char) rnd.nextInt(0x20));
                case 1 -> b.append("\"\\/\u007f".charAt(rnd.nextInt(4)));
                case 2 -> b.append((char) rnd.nextInt(0x80, 0x800));
                case 3 -> b.append((char) rnd.nextInt(0x800, 0xd800));
                case 4 -> b.appendCodePoint(rnd.nextInt(0x10000, 0x110000));
                case 5 -> b.append((char) rnd.nextInt(0xd800, 0xe000));
                case 6 -> b.append((char) rnd.nextInt(0xe000, 0x10000));
                default -> b.append((char) rnd.nextInt(0x20, 0x7f));
            }
        }
        return b.toString();
    }
}
