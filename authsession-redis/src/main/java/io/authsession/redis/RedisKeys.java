package io.authsession.redis;

import io.authsession.core.domain.EmailAddress;

/**
 * The key layout (docs/redis.md). Every key of authsession's own starts with the configured prefix; the gateway's
 * keys use the gateway's names. A user's session keys share the {@code {<owner hint>}} hash tag, so each atomic
 * session operation stays in one hash slot; a challenge's single key is tagged by its id.
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

    String challenge(String challengeId) {
        return prefix + "challenge:{" + challengeId + "}";
    }

    String resendWindow(EmailAddress email) {
        return prefix + "resend:" + email.value();
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
