package io.authsession.redis;

import io.authsession.core.domain.EmailAddress;
import io.authsession.core.port.ResendThrottle;
import io.authsession.core.port.ThrottlePermit;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Resend windows as one string key per address, taken and released by compare-and-set scripts. */
final class RedisResendThrottle implements ResendThrottle {
    private final RedisCommands redis;
    private final RedisKeys keys;
    private final Clock clock;

    RedisResendThrottle(RedisCommands redis, RedisKeys keys, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public Optional<ThrottlePermit> tryAcquire(EmailAddress email, Duration window) {
        String token = UUID.randomUUID().toString();
        Object opened = redis.eval("take resend window", LuaScript.THROTTLE_ACQUIRE, List.of(keys.resendWindow(email)),
                List.of(token, RedisReplies.millis(clock.instant()), Long.toString(Math.max(1, window.toMillis()))));
        return Long.valueOf(1).equals(opened) ? Optional.of(new ThrottlePermit(email, token)) : Optional.empty();
    }

    @Override
    public void release(ThrottlePermit permit) {
        redis.eval("release resend window", LuaScript.THROTTLE_RELEASE, List.of(keys.resendWindow(permit.email())),
                List.of(permit.token()));
    }

    @Override
    public void ping() {
        redis.run("ping", client -> client.ping());
    }
}
