package io.authsession.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One Lua script from the classpath, with the SHA-1 Redis knows it by. */
final class LuaScript {
    static final LuaScript CHALLENGE_CREATE = load("challenge_create");
    static final LuaScript CHALLENGE_CHECK = load("challenge_lib", "challenge_check");
    static final LuaScript CHALLENGE_CONFIRM = load("challenge_lib", "challenge_confirm");
    static final LuaScript CHALLENGE_DISCARD_CODE = load("challenge_discard_code");
    static final LuaScript ADDRESS_UNLOCK = load("challenge_lib", "address_unlock");
    static final LuaScript THROTTLE_ACQUIRE = load("challenge_lib", "throttle_acquire");
    static final LuaScript THROTTLE_RELEASE = load("throttle_release");
    static final LuaScript PROJECTION_PUBLISH = load("projection_publish");
    static final LuaScript SESSION_CREATE = load("session_lib", "session_create");
    static final LuaScript SESSION_REVOKE = load("session_lib", "session_revoke");
    static final LuaScript SESSION_REVOKE_ALL = load("session_lib", "session_revoke_all");
    static final LuaScript SESSION_LIST = load("session_lib", "session_list");
    static final LuaScript SESSION_EXTEND = load("session_lib", "session_extend");

    // The operator's repairs (RedisMaintenance): not loaded at startup, the service never runs them.
    static final LuaScript MAINTENANCE_INDEX_DROP = load("session_lib", "maintenance_index_drop");
    static final LuaScript MAINTENANCE_REINDEX = load("session_lib", "maintenance_reindex");
    static final LuaScript MAINTENANCE_EXPIRE = load("session_lib", "maintenance_expire");
    static final LuaScript MAINTENANCE_SNAPSHOT_DROP = load("maintenance_snapshot_drop");

    static final java.util.List<LuaScript> ALL = java.util.List.of(CHALLENGE_CREATE, CHALLENGE_CHECK, CHALLENGE_CONFIRM,
            CHALLENGE_DISCARD_CODE, ADDRESS_UNLOCK, THROTTLE_ACQUIRE, THROTTLE_RELEASE, PROJECTION_PUBLISH,
            SESSION_CREATE, SESSION_REVOKE, SESSION_REVOKE_ALL, SESSION_LIST, SESSION_EXTEND);

    private final String name;
    private final String source;
    private final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1(source);
    }

    String name() {
        return name;
    }

    String source() {
        return source;
    }

    String sha1() {
        return sha1;
    }

    /** This script with {@code prelude} run first, under the same name (tests wrap scripts this way). */
    LuaScript withPrelude(String prelude) {
        return new LuaScript(name, prelude + source);
    }

    /** The script made of these resources, in order (shared helpers first). */
    private static LuaScript load(String... parts) {
        StringBuilder source = new StringBuilder();
        for (String part : parts) {
            source.append(read(part + ".lua")).append('\n');
        }
        return new LuaScript(parts[parts.length - 1], source.toString());
    }

    private static String read(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java platform", e);
        }
    }
}
