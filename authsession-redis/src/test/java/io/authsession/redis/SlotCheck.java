package io.authsession.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs every script of some adapters behind {@code slot_check_prelude.lua}, which fails a script that touches a key
 * outside the hash slot of its first key, as Redis Cluster would (Redis 6.2 itself only notices a key served by
 * another node, so a cluster test catches such a bug only by chance).
 */
final class SlotCheck {
    static final String PRELUDE = read();

    private SlotCheck() {}

    static void install(RedisAdapters adapters) {
        adapters.commands().decorateScripts(script -> script.withPrelude(PRELUDE));
    }

    private static String read() {
        try (InputStream in = SlotCheck.class.getResourceAsStream("slot_check_prelude.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
