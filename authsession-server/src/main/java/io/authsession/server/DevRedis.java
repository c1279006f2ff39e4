package io.authsession.server;

import io.authsession.embedded.EmbeddedRedis;

/**
 * The embedded {@code redis-server} of {@code --dev}: a free loopback port, nothing persisted, no installation. The
 * launcher stops it with the JVM, also when the JVM is killed.
 */
final class DevRedis implements AutoCloseable {
    private final EmbeddedRedis redis;

    private DevRedis(EmbeddedRedis redis) {
        this.redis = redis;
    }

    static DevRedis start() {
        return new DevRedis(EmbeddedRedis.start());
    }

    String host() {
        return redis.host();
    }

    int port() {
        return redis.port();
    }

    long pid() {
        return redis.pid();
    }

    @Override
    public void close() {
        redis.close();
    }
}
