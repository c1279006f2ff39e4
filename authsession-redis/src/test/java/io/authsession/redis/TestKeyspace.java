package io.authsession.redis;

import io.authsession.core.domain.RuntimeSettings;
import io.authsession.testkit.RedisTestServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * The shared test Redis with key names of this test's own (a random prefix for authsession's keys, the gateway's
 * snapshot keys and stream), so tests never see each other's data. Closes what it opened.
 */
final class TestKeyspace implements AutoCloseable {
    final String namespace = "t-" + UUID.randomUUID() + ":";
    final RedisTestServer server = RedisTestServer.shared();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisClient raw;

    /** Settings pointing at the test server, with this test's key names. */
    RedisSettings settings() {
        RedisSettings.Builder builder = RedisSettings.builder()
                .host(server.host())
                .port(server.port())
                .keyPrefix(namespace + "authsession:")
                .gatewaySessionKeyPrefix(namespace + "gateway:session:")
                .gatewayEventsStream(namespace + "gateway:session_events");
        server.userInfo().ifPresent(info -> {
            int colon = info.indexOf(':');
            if (colon < 0) {
                builder.password(info);
            } else {
                if (colon > 0) {
                    builder.username(info.substring(0, colon));
                }
                builder.password(info.substring(colon + 1));
            }
        });
        return builder.build();
    }

    RedisAdapters adapters(Clock clock) {
        return adapters(settings(), clock);
    }

    RedisAdapters adapters(RedisSettings settings, Clock clock) {
        RedisAdapters adapters = RedisAdapters.create(settings, clock, RuntimeSettings.DEFAULTS);
        opened.add(adapters);
        return adapters;
    }

    RedisKeys keys() {
        return new RedisKeys(settings());
    }

    /** A plain client on the same server and database, to look at what the adapters wrote. */
    RedisClient raw() {
        if (raw == null) {
            RedisSettings settings = settings();
            DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().database(settings.database());
            settings.username().ifPresent(config::user);
            settings.password().ifPresent(config::password);
            raw = RedisClient.builder().hostAndPort(settings.host(), settings.port()).clientConfig(config.build()).build();
            opened.add(raw);
        }
        return raw;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        opened.clear();
    }
}
