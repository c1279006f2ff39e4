package io.authsession.bench;

import io.authsession.core.AuthSession;
import io.authsession.core.CodeHashKey;
import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.redis.RedisAdapters;
import io.authsession.redis.RedisSettings;
import io.authsession.testkit.InMemoryUserDirectory;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * authsession as a JVM service embeds it: the {@link AuthSession} facade over {@link RedisAdapters} with the
 * settings' defaults (pool of 16 unless {@value #POOL_SIZE_PROPERTY} says otherwise), the testkit's in-memory user
 * directory, and a {@link CodeInbox} for mail.
 */
final class AuthSessionRig implements AutoCloseable {
    final RedisAdapters redis;
    final AuthSession auth;
    final CodeInbox inbox = new CodeInbox();
    final InMemoryUserDirectory users = new InMemoryUserDirectory();
    private final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private final AtomicLong addresses = new AtomicLong();

    /** The Redis pool size of the library benchmarks when not the settings' default; {@code --pool-size}. */
    static final String POOL_SIZE_PROPERTY = "authsession.bench.poolSize";

    AuthSessionRig(BenchRedis server, Clock clock) {
        RedisSettings.Builder settings = RedisSettings.builder().host(server.host()).port(server.port());
        Integer poolSize = Integer.getInteger(POOL_SIZE_PROPERTY);
        if (poolSize != null) {
            settings.poolSize(poolSize);
        }
        redis = RedisAdapters.create(settings.build(), clock, RuntimeSettings.DEFAULTS);
        redis.loadScripts();
        auth = redis.configure(AuthSession.builder())
                .userDirectory(users)
                .mailSender(inbox)
                .codeHashKey(CodeHashKey.random(new SecureRandom()))
                .clock(clock)
                .build();
    }

    /** An address no send of this run has used, so that no resend window stands in the way. */
    String freshAddress() {
        return "a" + run + "-" + addresses.incrementAndGet() + "@bench.example.com";
    }

    /** A whole login: send a code, type it. */
    ConfirmedLogin login(String email) {
        String challengeId = auth.sendEmailCode(email);
        return auth.confirmEmailCode(ConfirmRequest.of(challengeId, inbox.take(challengeId)));
    }

    /** One session lifecycle: created by a login, listed by its user, revoked. */
    DeviceSession lifecycle() {
        ConfirmedLogin login = login(freshAddress());
        List<DeviceSession> sessions = auth.listSessions(login.userId(), Optional.empty());
        if (sessions.size() != 1) {
            throw new IllegalStateException("expected the user's one session, listed " + sessions.size());
        }
        return auth.revokeSession(login.deviceSessionId(), Optional.empty());
    }

    @Override
    public void close() {
        redis.close();
    }
}
