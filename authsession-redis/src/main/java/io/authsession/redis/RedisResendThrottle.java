package io.authsession.redis;

import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.AddressKey;
import io.authsession.core.port.ResendThrottle;
import io.authsession.core.port.ThrottlePermit;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Resend windows as one string key per address (named by its keyed hash), taken and released by compare-and-set
 * scripts; taking one also refuses an address whose failed-guess window is at the budget.
 */
final class RedisResendThrottle implements ResendThrottle {
    /** The token of a permit that took no window (a zero cooldown): releasing it does nothing. */
    private static final String NO_WINDOW = "no-window";

    private final RedisCommands redis;
    private final RedisKeys keys;
    private final Clock clock;

    RedisResendThrottle(RedisCommands redis, RedisKeys keys, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public Optional<ThrottlePermit> tryAcquire(AddressKey address, Duration window, AddressBudget budget) {
        String token = UUID.randomUUID().toString();
        long length = window.isZero() ? 0 : Math.max(1, window.toMillis());
        Object opened = redis.eval("take resend window", LuaScript.THROTTLE_ACQUIRE,
                List.of(keys.resendWindow(address), keys.failedGuesses(address)),
                List.of(token, RedisReplies.millis(clock.instant()), Long.toString(length),
                        Integer.toString(budget.maxFailedAttempts())));
        if (Long.valueOf(2).equals(opened)) {
            return Optional.of(new ThrottlePermit(address, NO_WINDOW));
        }
        return Long.valueOf(1).equals(opened) ? Optional.of(new ThrottlePermit(address, token)) : Optional.empty();
    }

    @Override
    public void release(ThrottlePermit permit) {
        if (permit.token().equals(NO_WINDOW)) {
            return;
        }
        redis.eval("release resend window", LuaScript.THROTTLE_RELEASE, List.of(keys.resendWindow(permit.address())),
                List.of(permit.token()));
    }

    @Override
    public void ping() {
        redis.ping();
    }
}
