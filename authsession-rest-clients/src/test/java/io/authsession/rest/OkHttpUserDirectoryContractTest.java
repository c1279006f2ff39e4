package io.authsession.rest;

import io.authsession.core.port.UserDirectory;
import io.authsession.testkit.UserDirectoryContract;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;

/** The testkit's user directory kit, run over real HTTP against a user service that follows CONTRACT §6.1. */
class OkHttpUserDirectoryContractTest extends UserDirectoryContract {
    private MockWebServer server;
    private RestClients rest;

    @Override
    protected UserDirectory createDirectory() {
        server = TestHttp.startedServer();
        server.setDispatcher(new UserServiceDispatcher(List.of("users-svc")));
        rest = RestClients.builder()
                .userServiceBaseUrl(TestHttp.baseUrl(server, "/users-svc/"))
                .userServiceRequestTimeout(Duration.ofSeconds(5))
                .build();
        return rest.userDirectory().orElseThrow();
    }

    @AfterEach
    void stop() {
        rest.close();
        server.close();
    }
}
