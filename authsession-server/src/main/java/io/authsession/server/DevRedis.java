package io.authsession.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/** The embedded {@code redis-server} of {@code --dev}: a free loopback port, nothing persisted, no installation. */
final class DevRedis implements AutoCloseable {
    private final RedisServer server;
    private final int port;

    private DevRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static DevRedis start() {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            try {
                RedisServer server = RedisServer.newRedisServer()
                        .port(port)
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .build();
                server.start();
                return new DevRedis(server, port);
            } catch (IOException e) {
                last = e; // the port was probably taken between probing and binding: try another
            }
        }
        throw new UncheckedIOException("could not start the embedded redis-server", last);
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
