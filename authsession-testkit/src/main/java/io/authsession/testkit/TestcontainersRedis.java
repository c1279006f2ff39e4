package io.authsession.testkit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Docker side of {@link RedisTestServer}, and the only class of the testkit that sees Testcontainers. Testcontainers
 * is an optional dependency, so this class is loaded only after {@link RedisTestServer} found it on the class path.
 */
final class TestcontainersRedis {
    private static final String IMAGE = "redis:7.4-alpine";

    private TestcontainersRedis() {}

    /** A started Redis container, or empty when no Docker engine answers. */
    static Optional<URI> startWhenDockerAnswers() {
        if (!dockerAnswers()) {
            return Optional.empty();
        }
        @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE)).withExposedPorts(6379);
        container.start();
        return Optional.of(URI.create("redis://" + container.getHost() + ":" + container.getMappedPort(6379)));
    }

    private static boolean dockerAnswers() {
        // Asking Testcontainers on a machine without any Docker configuration is slow and noisy; skip it there.
        boolean configured = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!configured) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
