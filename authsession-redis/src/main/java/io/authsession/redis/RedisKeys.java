package io.authsession.redis;

import io.authsession.core.domain.AddressKey;
import java.util.List;

/**
 * The key layout (docs/redis.md). Every key of authsession's own starts with the configured prefix; the gateway's
 * keys use the gateway's names. A user's session keys share the {@code {<owner hint>}} hash tag, so each atomic
 * session operation stays in one hash slot. An address's keys (resend window, failed-guess window) and its challenges
 * share the {@code {<address hint>}} tag, the first characters of the address's keyed hash, which every challenge id
 * of the address starts with: so the step that counts a wrong code against the challenge and the address stays in
 * one slot too. No key name holds an e-mail address.
 */
final class RedisKeys {
    // The name segments, once: the builders below and parse() share them (the scripts derive a user's index keys
    // with the same words).
    private static final String CHALLENGE = "challenge:";
    private static final String RESEND = "resend:";
    private static final String GUESSES = "guesses:";
    private static final String SESSION = "session:";
    private static final String USER_ACTIVE = "user-active:";
    private static final String USER_REVOKED = "user-revoked:";
    private static final String CONFIG = "config";
    private static final String AUDIT = "audit";
    private static final String REPLICATED = "replicated";

    private final String prefix;
    private final String gatewaySessionPrefix;
    private final String gatewayStream;

    RedisKeys(RedisSettings settings) {
        this.prefix = settings.keyPrefix();
        this.gatewaySessionPrefix = settings.gatewaySessionKeyPrefix();
        this.gatewayStream = settings.gatewayEventsStream();
    }

    /**
     * The keys of one user, computed once: the part every session key of the user starts with (the scripts append
     * session ids to it) and the two per-user indexes.
     */
    record UserKeys(String sessionPrefix, String activeSessions, String revokedSessions) {}

    /** The characters of an address key (and of its challenges' ids) that make their hash tag. */
    static final int ADDRESS_HINT_LENGTH = 4;

    String challenge(String challengeId) {
        return taggedPrefixOfChallenge(challengeId) + CHALLENGE + challengeId;
    }

    /** {@code <prefix>{<address hint>}:} of a challenge, from which a script derives its address's keys. */
    String taggedPrefixOfChallenge(String challengeId) {
        return prefix + "{" + hint(challengeId) + "}:";
    }

    String resendWindow(AddressKey address) {
        return prefix + "{" + hint(address.value()) + "}:" + RESEND + address.value();
    }

    String failedGuesses(AddressKey address) {
        return prefix + "{" + hint(address.value()) + "}:" + GUESSES + address.value();
    }

    private static String hint(String id) {
        return id.length() < ADDRESS_HINT_LENGTH ? id : id.substring(0, ADDRESS_HINT_LENGTH);
    }

    String config() {
        return prefix + CONFIG;
    }

    UserKeys user(String userId) {
        String tagged = prefix + "{" + SessionIds.ownerHint(userId) + "}:";
        return new UserKeys(tagged + SESSION, tagged + USER_ACTIVE + userId, tagged + USER_REVOKED + userId);
    }

    String session(String deviceSessionId) {
        return taggedPrefixOfSession(deviceSessionId) + SESSION + deviceSessionId;
    }

    /** {@code <prefix>{<hint>}:} of the session's owner, from which a script derives the owner's other keys. */
    String taggedPrefixOfSession(String deviceSessionId) {
        return prefix + "{" + SessionIds.ownerHintOf(deviceSessionId) + "}:";
    }

    String gatewaySnapshot(String deviceSessionId) {
        return gatewaySessionPrefix + deviceSessionId;
    }

    String gatewayStream() {
        return gatewayStream;
    }

    /**
     * The marker a durable write ends with (docs/redis.md, *Durable revocations*): under the prefix, in the slot of
     * the write's first key (its hash tag), so that one cluster connection can write both.
     */
    static String replicaMarker(String prefix, String key) {
        return RedisSettings.hashTagOf(key).map(tag -> prefix + "{" + tag + "}:" + REPLICATED)
                .orElse(prefix + REPLICATED);
    }

    /** The operator's audit trail: a stream under the prefix (CONTRACT §10). */
    String audit() {
        return prefix + AUDIT;
    }

    /** The kinds of key that {@link #parse} recognises. */
    enum Kind {
        SESSION, USER_ACTIVE, USER_REVOKED, CHALLENGE, RESEND_WINDOW, FAILED_GUESSES, CONFIG, AUDIT,
        REPLICA_MARKER, GATEWAY_SNAPSHOT, GATEWAY_STREAM, UNKNOWN
    }

    /**
     * A key name read back: its kind and the id it names (session id, user id, challenge id, address key; empty for
     * the singletons and unknown keys).
     */
    record Parsed(Kind kind, String id) {
        static final Parsed UNKNOWN = new Parsed(Kind.UNKNOWN, "");
    }

    /**
     * What a key name is, by the layout above. A name is recognised only when the builder of its kind gives it back
     * exactly (the hash tag included), so a key whose tag does not match its id counts as unknown.
     */
    Parsed parse(String key) {
        if (key.equals(gatewayStream)) {
            return new Parsed(Kind.GATEWAY_STREAM, "");
        }
        if (key.startsWith(gatewaySessionPrefix) && key.length() > gatewaySessionPrefix.length()) {
            return new Parsed(Kind.GATEWAY_SNAPSHOT, key.substring(gatewaySessionPrefix.length()));
        }
        if (!key.startsWith(prefix)) {
            return Parsed.UNKNOWN;
        }
        String rest = key.substring(prefix.length());
        if (rest.equals(CONFIG)) {
            return new Parsed(Kind.CONFIG, "");
        }
        if (rest.equals(AUDIT)) {
            return new Parsed(Kind.AUDIT, "");
        }
        if (rest.equals(REPLICATED)) {
            return new Parsed(Kind.REPLICA_MARKER, "");
        }
        int close = rest.indexOf("}:");
        if (!rest.startsWith("{") || close < 0) {
            return Parsed.UNKNOWN;
        }
        String tail = rest.substring(close + 2);
        if (tail.equals(REPLICATED) && close > 1) {
            return new Parsed(Kind.REPLICA_MARKER, "");
        }
        for (Kind kind : List.of(Kind.SESSION, Kind.USER_ACTIVE, Kind.USER_REVOKED, Kind.CHALLENGE,
                Kind.RESEND_WINDOW, Kind.FAILED_GUESSES)) {
            String segment = segment(kind);
            if (tail.startsWith(segment) && tail.length() > segment.length()) {
                String id = tail.substring(segment.length());
                if (key.equals(build(kind, id))) {
                    return new Parsed(kind, id);
                }
            }
        }
        return Parsed.UNKNOWN;
    }

    private static String segment(Kind kind) {
        return switch (kind) {
            case SESSION -> SESSION;
            case USER_ACTIVE -> USER_ACTIVE;
            case USER_REVOKED -> USER_REVOKED;
            case CHALLENGE -> CHALLENGE;
            case RESEND_WINDOW -> RESEND;
            case FAILED_GUESSES -> GUESSES;
            default -> throw new IllegalArgumentException("no segment for " + kind);
        };
    }

    private String build(Kind kind, String id) {
        return switch (kind) {
            case SESSION -> session(id);
            case USER_ACTIVE -> user(id).activeSessions();
            case USER_REVOKED -> user(id).revokedSessions();
            case CHALLENGE -> challenge(id);
            case RESEND_WINDOW -> isAddressKey(id) ? resendWindow(new AddressKey(id)) : "";
            case FAILED_GUESSES -> isAddressKey(id) ? failedGuesses(new AddressKey(id)) : "";
            default -> "";
        };
    }

    private static boolean isAddressKey(String id) {
        try {
            new AddressKey(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A {@code SCAN MATCH} pattern for every key under the prefix. */
    String everyKeyPattern() {
        return glob(prefix) + "*";
    }

    /** A {@code SCAN MATCH} pattern for every gateway snapshot key. */
    String everySnapshotPattern() {
        return glob(gatewaySessionPrefix) + "*";
    }

    /** A {@code SCAN MATCH} pattern for every user's active index (the mass logout walks them). */
    String everyActiveIndexPattern() {
        return glob(prefix) + "{*}:" + glob(USER_ACTIVE) + "*";
    }

    /** {@code text} with the glob characters of {@code SCAN MATCH} escaped. */
    static String glob(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
