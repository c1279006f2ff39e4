package io.authsession.redis;

import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.ChallengeStatus;
import io.authsession.core.domain.DeliveryState;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.port.AttemptOutcome;
import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.ConfirmOutcome;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Challenges as Redis hashes, one key per challenge, with their TTL set by the script that writes them. */
final class RedisChallengeStore implements ChallengeStore {
    private final RedisCommands redis;
    private final RedisKeys keys;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RedisChallengeStore(RedisCommands redis, RedisKeys keys, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public String newChallengeId(EmailAddress email) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    @Override
    public void create(Challenge challenge, Instant purgeAt) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("email", challenge.email().value());
        fields.put("status", challenge.status().wireName());
        fields.put("delivery", challenge.delivery().wireName());
        challenge.codeHash().ifPresent(hash -> fields.put("code_hash", hash));
        fields.put("attempts", Integer.toString(challenge.failedAttempts()));
        fields.put("created_at", RedisReplies.millis(challenge.createdAt()));
        fields.put("expires_at", RedisReplies.millis(challenge.expiresAt()));
        fields.put("purge_at", RedisReplies.millis(purgeAt));
        challenge.confirmation().ifPresent(confirmation -> {
            fields.put("session_id", confirmation.deviceSessionId());
            fields.put("user_id", confirmation.userId());
        });
        List<String> args = new java.util.ArrayList<>();
        args.add(RedisReplies.ttlMillis(purgeAt, clock.instant()));
        args.addAll(RedisReplies.flat(fields));
        redis.eval("create challenge", LuaScript.CHALLENGE_CREATE, List.of(keys.challenge(challenge.id())), args);
    }

    @Override
    public Optional<Challenge> find(String challengeId) {
        Map<String, String> fields = redis.run("find challenge", client -> client.hgetAll(keys.challenge(challengeId)));
        if (fields.isEmpty() || !clock.instant().isBefore(RedisReplies.instant(RedisReplies.required(fields, "purge_at")))) {
            return Optional.empty();
        }
        Optional<Challenge.Confirmation> confirmation = Optional.ofNullable(fields.get("session_id"))
                .map(sessionId -> new Challenge.Confirmation(sessionId, RedisReplies.required(fields, "user_id")));
        return Optional.of(new Challenge(
                challengeId,
                EmailAddress.parse(RedisReplies.required(fields, "email")),
                ChallengeStatus.fromWireName(RedisReplies.required(fields, "status")),
                DeliveryState.fromWireName(RedisReplies.required(fields, "delivery")),
                Optional.ofNullable(fields.get("code_hash")),
                Integer.parseInt(RedisReplies.required(fields, "attempts")),
                RedisReplies.instant(RedisReplies.required(fields, "created_at")),
                RedisReplies.instant(RedisReplies.required(fields, "expires_at")),
                confirmation));
    }

    @Override
    public AttemptOutcome recordFailedAttempt(String challengeId, int maxAttempts) {
        Object outcome = redis.eval("count failed attempt", LuaScript.CHALLENGE_ATTEMPT,
                List.of(keys.challenge(challengeId)), List.of(now(), Integer.toString(maxAttempts)));
        return switch ((String) outcome) {
            case "counted" -> AttemptOutcome.COUNTED;
            case "too_many_attempts" -> AttemptOutcome.TOO_MANY_ATTEMPTS;
            case "expired" -> AttemptOutcome.EXPIRED;
            default -> AttemptOutcome.NOT_FOUND;
        };
    }

    @Override
    public ConfirmOutcome confirm(
            String challengeId, Challenge.Confirmation confirmation, int maxAttempts, Instant purgeAt) {
        List<?> reply = (List<?>) redis.eval("confirm challenge", LuaScript.CHALLENGE_CONFIRM,
                List.of(keys.challenge(challengeId)),
                List.of(now(), Integer.toString(maxAttempts), confirmation.deviceSessionId(), confirmation.userId(),
                        RedisReplies.millis(purgeAt), RedisReplies.ttlMillis(purgeAt, clock.instant())));
        return switch ((String) reply.get(0)) {
            case "confirmed" -> ConfirmOutcome.confirmed(confirmation);
            case "already_confirmed" -> ConfirmOutcome.alreadyConfirmed(
                    new Challenge.Confirmation((String) reply.get(1), (String) reply.get(2)));
            case "expired" -> ConfirmOutcome.refused(ConfirmOutcome.Kind.EXPIRED);
            case "too_many_attempts" -> ConfirmOutcome.refused(ConfirmOutcome.Kind.TOO_MANY_ATTEMPTS);
            default -> ConfirmOutcome.refused(ConfirmOutcome.Kind.NOT_FOUND);
        };
    }

    @Override
    public void markDeliveryFailed(String challengeId) {
        redis.eval("discard challenge code", LuaScript.CHALLENGE_DELIVERY_FAILED,
                List.of(keys.challenge(challengeId)), List.of());
    }

    @Override
    public void ping() {
        redis.run("ping", client -> client.ping());
    }

    private String now() {
        return RedisReplies.millis(clock.instant());
    }
}
