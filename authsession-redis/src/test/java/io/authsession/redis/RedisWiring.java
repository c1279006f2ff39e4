package io.authsession.redis;

import io.authsession.core.AuthSession;
import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.testkit.AuthSessionFixture;
import io.authsession.testkit.InMemoryUserDirectory;
import io.authsession.testkit.MutableClock;
import io.authsession.testkit.RecordingMailSender;

/** An {@link AuthSession} on real Redis adapters, with the user and mail services faked. */
final class RedisWiring {
    final MutableClock clock = MutableClock.create();
    final InMemoryUserDirectory users = new InMemoryUserDirectory();
    final RecordingMailSender mail = new RecordingMailSender();
    final RedisAdapters redis;
    final AuthSession auth;

    RedisWiring(TestKeyspace keyspace) {
        this(keyspace, keyspace.settings());
    }

    RedisWiring(TestKeyspace keyspace, RedisSettings settings) {
        redis = keyspace.adapters(settings, clock);
        auth = redis.configure(AuthSession.builder())
                .clock(clock)
                .userDirectory(users)
                .mailSender(mail)
                .codeHashKey(AuthSessionFixture.CODE_HASH_KEY)
                .build();
    }

    ConfirmedLogin login(String email) {
        String challengeId = auth.sendEmailCode(email);
        return auth.confirmEmailCode(ConfirmRequest.of(challengeId, codeFor(challengeId)));
    }

    String codeFor(String challengeId) {
        return mail.codeFor(challengeId).orElseThrow(() -> new AssertionError("no code mailed for " + challengeId));
    }
}
