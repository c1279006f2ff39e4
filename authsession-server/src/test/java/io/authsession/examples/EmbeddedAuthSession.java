package io.authsession.examples;

import io.authsession.core.AuthSession;
import io.authsession.core.CodeHashKey;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.redis.RedisAdapters;
import io.authsession.redis.RedisSettings;
import io.authsession.rest.RestClients;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/** How a JVM service embeds authsession: Redis for state and projection, REST for users and mail. */
public final class EmbeddedAuthSession implements AutoCloseable {
    private final RedisAdapters redis;
    private final RestClients rest;
    private final AuthSession auth;

    public EmbeddedAuthSession(RedisSettings redisSettings, URI userService, URI mailService, CodeHashKey key) {
        redis = RedisAdapters.create(redisSettings, Clock.systemUTC(), RuntimeSettings.DEFAULTS);
        rest = RestClients.builder()
                .userServiceBaseUrl(userService).userServiceRequestTimeout(Duration.ofSeconds(2))
                .mailServiceBaseUrl(mailService).mailServiceRequestTimeout(Duration.ofSeconds(5))
                .build();
        auth = redis.configure(AuthSession.builder())
                .userDirectory(rest.userDirectory().orElseThrow())
                .mailSender(rest.mailSender().orElseThrow())
                .codeHashKey(key)
                .build();
    }

    public AuthSession auth() {
        return auth;
    }

    @Override
    public void close() {
        rest.close();
        redis.close();
    }
}
