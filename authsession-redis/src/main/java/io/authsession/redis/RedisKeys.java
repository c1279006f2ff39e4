package io.authsession.redis;

import io.authsession.core.domain.AddressKey;

/**
 * The key layout (docs/redis.md). Every key of authsession's own starts with the configured prefix; the gateway's
 * keys use the gateway's names. A user's session keys share the {@code {<owner hint>}} hash tag, so each atomic
 * session operation stays in one hash slot. An address's keys (resend window, failed-guess window) and its challenges
 * share the {@code {<address hint>}} tag, the first characters of the address's keyed hash, which every challenge id
 * of the address starts with: so the step that counts a wrong code against the challenge and the address stays in
 * one slot too. No key name holds an e-mail address.
 */
final class RedisKeys {
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
        return taggedPrefixOfChallenge(challengeId) + "challenge:" + challengeId;
    }

    /** {@code <prefix>{<address hint>}:} of a challenge, from which a script derives its address's keys. */
    String taggedPrefixOfChallenge(String challengeId) {
        return prefix + "{" + hint(challengeId) + "}:";
    }

    String resendWindow(AddressKey address) {
        return prefix + "{" + hint(address.value()) + "}:resend:" + address.value();
    }

    String failedGuesses(AddressKey address) {
        return prefix + "{" + hint(address.value()) + "}:guesses:" + address.value();
    }

    private static String hint(String id) {
        return id.length() < ADDRESS_HINT_LENGTH ? id : id.substring(0, ADDRESS_HINT_LENGTH);
    }

    String config() {
        return prefix + "config";
    }

    UserKeys user(String userId) {
        String tagged = prefix + "{" + SessionIds.ownerHint(userId) + "}:";
        return new UserKeys(tagged + "session:", tagged + "user-active:" + userId, tagged + "user-revoked:" + userId);
    }

    String session(String deviceSessionId) {
        return taggedPrefixOfSession(deviceSessionId) + "session:" + deviceSessionId;
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
}
