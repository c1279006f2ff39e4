package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.CodeHashKey;
import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.examples.EmbeddedAuthSession;
import io.authsession.redis.RedisSettings;
import io.authsession.testkit.RedisTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README's embedding example compiles, works, and is shown in the README exactly as it is here. */
class EmbeddingExampleTest {
    private static final Path EXAMPLE =
            Path.of("src", "test", "java", "io", "authsession", "examples", "EmbeddedAuthSession.java");

    @Test
    @DisplayName("the embedding example logs a user in against Redis and REST services")
    void works() {
        RedisTestServer redis = RedisTestServer.shared();
        String namespace = "embed-" + UUID.randomUUID() + ":";
        try (FakeServices services = new FakeServices();
                EmbeddedAuthSession authsession = new EmbeddedAuthSession(
                        RedisSettings.builder().host(redis.host()).port(redis.port())
                                .keyPrefix(namespace).gatewaySessionKeyPrefix(namespace + "gw:")
                                .gatewayEventsStream(namespace + "events").build(),
                        services.baseUrl(), services.baseUrl(), CodeHashKey.random(new SecureRandom()))) {
            String challengeId = authsession.auth().sendEmailCode("embedded@example.com");
            ConfirmedLogin login = authsession.auth().confirmEmailCode(
                    ConfirmRequest.of(challengeId, services.codeFor(challengeId)));
            assertThat(authsession.auth().findSession(login.deviceSessionId())).isPresent();
        }
    }

    @Test
    @DisplayName("README.md shows the example's class verbatim")
    void readmeShowsIt() throws Exception {
        String source = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
        String classBody = source.substring(source.indexOf("/** How a JVM service"));
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains(classBody.strip());
    }
}
