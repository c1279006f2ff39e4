package io.authsession.redis;

import io.authsession.core.domain.DeviceSessionIds;
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

    String challenge(String challengeId) {
        return prefix + "challenge:{" + challengeId + "}";
    }

    String resendWindow(EmailAddress email) {
        return prefix + "resend:" + email.value();
    }

    String config() {
        return prefix + "config";
    }

    /** The part every session key of this owner hint starts with; the scripts append session ids to it. */
    String sessionKeyPrefix(String ownerHint) {
        return prefix + "{" + ownerHint + "}:session:";
    }

    String session(String deviceSessionId) {
        return sessionKeyPrefix(DeviceSessionIds.ownerHintOf(deviceSessionId)) + deviceSessionId;
    }

    String sessionKeyPrefixOfUser(String userId) {
        return sessionKeyPrefix(DeviceSessionIds.ownerHint(userId));
    }

    String activeSessions(String userId) {
        return prefix + "{" + DeviceSessionIds.ownerHint(userId) + "}:user-active:" + userId;
    }

    String revokedSessions(String userId) {
        return prefix + "{" + DeviceSessionIds.ownerHint(userId) + "}:user-revoked:" + userId;
    }

    String gatewaySnapshot(String deviceSessionId) {
        return gatewaySessionPrefix + deviceSessionId;
    }

    String gatewayStream() {
        return gatewayStream;
    }
}
