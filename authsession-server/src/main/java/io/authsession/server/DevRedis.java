package io.authsession.server;

import io.authsession.embedded.EmbeddedRedis;

/**
 * The embedded {@code redis-server} of {@code --dev}: a free loopback port, nothing persisted, no installation.
 *
 * <p>The server's shutdown sequence closes it after the listeners have drained, so the launcher's own JVM-exit hook
 * is told to leave it alone; the launcher's watchdog still kills it when the JVM dies without closing it.
 */
final class DevRedis implements AutoCloseable {
    private final EmbeddedRedis redis;

    private DevRedis(EmbeddedRedis redis) {
        this.redis = redis;
    }

    static DevRedis start() {
        return new DevRedis(EmbeddedRedis.builder().closedByOwnerAtJvmExit().start());
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
