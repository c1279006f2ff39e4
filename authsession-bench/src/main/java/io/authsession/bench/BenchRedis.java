package io.authsession.bench;

import io.authsession.testkit.RedisTestServer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import redis.clients.jedis.Jedis;

/**
 * The one Redis of a benchmark run: started by the runner through {@link RedisTestServer} and handed to the JMH
 * forks by a system property, so that authsession and Spring Session are measured against the same server.
 */
record BenchRedis(String host, int port, String source) {
    static final String PROPERTY = "authsession.bench.redis";

    BenchRedis {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(source, "source");
    }

    /** The runner's Redis; refuses one named by the environment, since every section flushes it. */
    static BenchRedis start() {
        RedisTestServer server = RedisTestServer.shared();
        if (!server.isPrivate()) {
            throw new IllegalStateException("the benchmark flushes its Redis, so it runs only on a private one: unset "
                    + RedisTestServer.URL_VARIABLE);
        }
        return new BenchRedis(server.host(), server.port(), server.source().name().toLowerCase(Locale.ROOT));
    }

    /** In a JMH fork: the runner's Redis, or one of the fork's own when the benchmark jar was started by hand. */
    static BenchRedis forFork() {
        String address = System.getProperty(PROPERTY);
        if (address == null || address.isBlank()) {
            return start();
        }
        int colon = address.lastIndexOf(':');
        return new BenchRedis(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), "runner");
    }

    String address() {
        return host + ":" + port;
    }

    Jedis connect() {
        return new Jedis(host, port);
    }

    void flushAll() {
        try (Jedis jedis = connect()) {
            jedis.flushAll();
        }
    }

    String version() {
        try (Jedis jedis = connect()) {
            return field(jedis.info("server"), "redis_version");
        }
    }

    long usedMemory() {
        try (Jedis jedis = connect()) {
            return usedMemory(jedis);
        }
    }

    static long usedMemory(Jedis jedis) {
        return Long.parseLong(field(jedis.info("memory"), "used_memory"));
    }

    /** One field of an {@code INFO} answer. */
    static String field(String info, String name) {
        return info.lines()
                .filter(line -> line.startsWith(name + ":"))
                .map(line -> line.substring(name.length() + 1).strip())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("INFO has no " + name));
    }

    /** Calls per command from {@code INFO commandstats}, commands run inside scripts included. */
    static Map<String, Long> commandCalls(String commandstats) {
        Map<String, Long> calls = new LinkedHashMap<>();
        commandstats.lines().filter(line -> line.startsWith("cmdstat_")).forEach(line -> {
            int colon = line.indexOf(':');
            String name = line.substring("cmdstat_".length(), colon);
            for (String part : line.substring(colon + 1).split(",")) {
                if (part.startsWith("calls=")) {
                    calls.put(name, Long.parseLong(part.substring("calls=".length())));
                }
            }
        });
        return calls;
    }
}
