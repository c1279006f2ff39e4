package io.authsession.testkit;

import io.authsession.embedded.EmbeddedRedis;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Optional;

/**
 * A real Redis server for tests, shared by every test of a JVM and stopped when the JVM exits.
 *
 * <p>Where it comes from, in this order: the URL in {@code AUTHSESSION_TEST_REDIS_URL} when set
 * ({@code redis://[user:password@]host:port}); a Testcontainers Redis when {@code org.testcontainers:testcontainers}
 * is on the class path (an optional dependency of the testkit: add it to turn Docker support on) and a Docker engine
 * answers; otherwise an embedded {@code redis-server} ({@link EmbeddedRedis}) on a free loopback port. The last needs
 * nothing but a JDK, so the suite passes on a fresh machine. Tests must isolate themselves with their own key
 * prefixes: the server is shared and never flushed. For Redis Cluster and Sentinel see {@link RedisTestCluster} and
 * {@link RedisTestSentinel}.
 */
public final class RedisTestServer {
    /** The environment variable naming an external Redis to test against. */
    public static final String URL_VARIABLE = "AUTHSESSION_TEST_REDIS_URL";
    private static final System.Logger LOG = System.getLogger(RedisTestServer.class.getName());

    private static RedisTestServer shared;

    private final URI uri;
    private final Source source;

    private RedisTestServer(URI uri, Source source) {
        this.uri = uri;
        this.source = source;
    }

    /** Where the server came from. */
    public enum Source {
        ENVIRONMENT,
        TESTCONTAINERS,
        EMBEDDED
    }

    /** The server of this JVM, started on first use. */
    public static synchronized RedisTestServer shared() {
        if (shared == null) {
            shared = start();
            LOG.log(Level.INFO, () -> "event=test_redis_ready source=" + shared.source + " address="
                    + shared.host() + ":" + shared.port());
        }
        return shared;
    }

    /** A Redis URL for the server, without credentials unless the environment gave some. */
    public URI uri() {
        return uri;
    }

    public String host() {
        return uri.getHost();
    }

    public int port() {
        return uri.getPort();
    }

    /** The user and password of the environment URL, if it has them. */
    public Optional<String> userInfo() {
        return Optional.ofNullable(uri.getUserInfo());
    }

    public Source source() {
        return source;
    }

    /** Whether the tests own the server and may change its configuration (embedded or container). */
    public boolean isPrivate() {
        return source != Source.ENVIRONMENT;
    }

    private static RedisTestServer start() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url.strip());
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalStateException(URL_VARIABLE + " must look like redis://host:port, got " + url);
            }
            return new RedisTestServer(uri, Source.ENVIRONMENT);
        }
        // TestcontainersRedis is loaded only when Testcontainers is there: it is an optional dependency.
        if (testcontainersOnClassPath()) {
            Optional<URI> container = TestcontainersRedis.startWhenDockerAnswers();
            if (container.isPresent()) {
                return new RedisTestServer(container.get(), Source.TESTCONTAINERS);
            }
        }
        return startEmbedded();
    }

    private static boolean testcontainersOnClassPath() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, RedisTestServer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static RedisTestServer startEmbedded() {
        EmbeddedRedis redis = EmbeddedRedis.start(); // stopped by the launcher when the JVM exits
        return new RedisTestServer(URI.create("redis://" + redis.host() + ":" + redis.port()), Source.EMBEDDED);
    }
}
