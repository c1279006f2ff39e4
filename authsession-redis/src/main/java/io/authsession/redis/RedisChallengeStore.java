package io.authsession.redis;

import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.AddressKey;
import io.authsession.core.domain.AddressState;
import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.ChallengeStatus;
import io.authsession.core.domain.DeliveryState;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.CodeCheck;
import io.authsession.core.port.ConfirmOutcome;
import io.authsession.core.port.TypedCode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Challenges as Redis hashes, one key per challenge, with their TTL set by the script that writes them; and the
 * failed-guess windows of their addresses, in the same hash slot.
 */
final class RedisChallengeStore implements ChallengeStore {
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private final RedisCommands redis;
    private final RedisKeys keys;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RedisChallengeStore(RedisCommands redis, RedisKeys keys, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
    }

    /** The address's hint (its hash tag), then 128 random bits: 26 characters. */
    @Override
    public String newChallengeId(AddressKey address) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return address.value().substring(0, RedisKeys.ADDRESS_HINT_LENGTH) + URL_SAFE.encodeToString(bits);
    }

    @Override
    public void create(Challenge challenge, Instant purgeAt) {
        // Only what a challenge needs is stored: a challenge without a code keeps no address in clear, an absent
        // attempts field reads as zero (the scripts count from there) and an absent status as pending.
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("address", challenge.address().value());
        challenge.email().ifPresent(email -> fields.put("email", email.value()));
        if (challenge.status() != ChallengeStatus.PENDING_CONFIRMATION) {
            fields.put("status", challenge.status().wireName());
        }
        fields.put("delivery", challenge.delivery().wireName());
        challenge.codeHash().ifPresent(hash -> fields.put("code_hash", hash));
        if (challenge.failedAttempts() > 0) {
            fields.put("attempts", Integer.toString(challenge.failedAttempts()));
        }
        fields.put("created_at", RedisReplies.millis(challenge.createdAt()));
        fields.put("expires_at", RedisReplies.millis(challenge.expiresAt()));
        fields.put("purge_at", RedisReplies.millis(purgeAt));
        challenge.confirmation().ifPresent(confirmation -> {
            fields.put("session_id", confirmation.deviceSessionId());
            fields.put("user_id", confirmation.userId());
        });
        List<String> args = new ArrayList<>();
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
        return Optional.of(challengeOf(challengeId, fields));
    }

    @Override
    public CodeCheck check(String challengeId, TypedCode code, int maxAttempts, AddressBudget budget) {
        List<?> reply = (List<?>) redis.eval("check code", LuaScript.CHALLENGE_CHECK, List.of(keys.challenge(challengeId)),
                List.of(now(), Integer.toString(maxAttempts), Integer.toString(budget.maxFailedAttempts()),
                        Long.toString(budget.window().toMillis()), code.underCurrentKey(),
                        code.underPreviousKey().orElse(""), keys.taggedPrefixOfChallenge(challengeId)));
        return switch ((String) reply.get(0)) {
            case "matched" -> CodeCheck.matched(challengeOf(challengeId, RedisReplies.fromFlat(reply.get(1))));
            case "invalid_code" -> Long.valueOf(1).equals(reply.get(1))
                    ? CodeCheck.invalidCodeLocking(new AddressKey((String) reply.get(2)))
                    : CodeCheck.invalidCode();
            case "address_locked" -> CodeCheck.refused(CodeCheck.Kind.ADDRESS_LOCKED);
            case "too_many_attempts" -> CodeCheck.refused(CodeCheck.Kind.TOO_MANY_ATTEMPTS);
            case "expired" -> CodeCheck.refused(CodeCheck.Kind.EXPIRED);
            default -> CodeCheck.refused(CodeCheck.Kind.NOT_FOUND);
        };
    }

    @Override
    public ConfirmOutcome confirm(String challengeId, Challenge.Confirmation confirmation, int maxAttempts,
            AddressBudget budget, Instant purgeAt) {
        List<?> reply = (List<?>) redis.eval("confirm challenge", LuaScript.CHALLENGE_CONFIRM,
                List.of(keys.challenge(challengeId)),
                List.of(now(), Integer.toString(maxAttempts), confirmation.deviceSessionId(), confirmation.userId(),
                        RedisReplies.millis(purgeAt), RedisReplies.ttlMillis(purgeAt, clock.instant()),
                        Integer.toString(budget.maxFailedAttempts()), keys.taggedPrefixOfChallenge(challengeId)));
        return switch ((String) reply.get(0)) {
            case "confirmed" -> ConfirmOutcome.confirmed(confirmation);
            case "already_confirmed" -> ConfirmOutcome.alreadyConfirmed(
                    new Challenge.Confirmation((String) reply.get(1), (String) reply.get(2)));
            case "expired" -> ConfirmOutcome.refused(ConfirmOutcome.Kind.EXPIRED);
            case "too_many_attempts" -> ConfirmOutcome.refused(ConfirmOutcome.Kind.TOO_MANY_ATTEMPTS);
            case "address_locked" -> ConfirmOutcome.refused(ConfirmOutcome.Kind.ADDRESS_LOCKED);
            default -> ConfirmOutcome.refused(ConfirmOutcome.Kind.NOT_FOUND);
        };
    }

    @Override
    public void discardCode(String challengeId, DeliveryState why) {
        if (why != DeliveryState.FAILED && why != DeliveryState.SUPPRESSED) {
            throw new IllegalArgumentException("a code is discarded because delivery failed or was suppressed");
        }
        redis.eval("discard challenge code", LuaScript.CHALLENGE_DISCARD_CODE,
                List.of(keys.challenge(challengeId)), List.of(why.wireName()));
    }

    @Override
    public AddressState addressState(AddressKey address, AddressBudget budget) {
        String window = redis.run("read failed guesses", client -> client.get(keys.failedGuesses(address)));
        return FailedGuessWindow.parse(window, clock.instant()).map(open -> new AddressState(open.count(),
                Optional.of(open.endsAt()), !budget.isOff() && open.count() >= budget.maxFailedAttempts()))
                .orElse(AddressState.CLEAR);
    }

    @Override
    public boolean unlockAddress(AddressKey address) {
        return Long.valueOf(1).equals(redis.eval("unlock address", LuaScript.ADDRESS_UNLOCK,
                List.of(keys.failedGuesses(address)), List.of(now())));
    }

    @Override
    public void ping() {
        redis.ping();
    }

    private String now() {
        return RedisReplies.millis(clock.instant());
    }

    private static Challenge challengeOf(String challengeId, Map<String, String> fields) {
        Optional<Challenge.Confirmation> confirmation = Optional.ofNullable(fields.get("session_id"))
                .map(sessionId -> new Challenge.Confirmation(sessionId, RedisReplies.required(fields, "user_id")));
        return new Challenge(
                challengeId,
                new AddressKey(RedisReplies.required(fields, "address")),
                Optional.ofNullable(fields.get("email")).map(EmailAddress::parse),
                ChallengeStatus.fromWireName(fields.getOrDefault("status", ChallengeStatus.PENDING_CONFIRMATION.wireName())),
                DeliveryState.fromWireName(RedisReplies.required(fields, "delivery")),
                Optional.ofNullable(fields.get("code_hash")),
                Integer.parseInt(fields.getOrDefault("attempts", "0")),
                RedisReplies.instant(RedisReplies.required(fields, "created_at")),
                RedisReplies.instant(RedisReplies.required(fields, "expires_at")),
                confirmation);
    }

    /** The value of a failed-guess window key, {@code <count> <until ms>}, as the scripts write it. */
    record FailedGuessWindow(int count, Instant endsAt) {
        /** The window, when one is open at {@code now}. */
        static Optional<FailedGuessWindow> parse(String value, Instant now) {
            if (value == null) {
                return Optional.empty();
            }
            String[] parts = value.split(" ");
            if (parts.length != 2) {
                return Optional.empty();
            }
            Instant endsAt = RedisReplies.instant(parts[1]);
            return now.isBefore(endsAt) ? Optional.of(new FailedGuessWindow(Integer.parseInt(parts[0]), endsAt))
                    : Optional.empty();
        }
    }
}
