package io.authsession.server;

import static io.authsession.server.TestServer.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InternalTokenTest {
    private static final String PATH = "/api/v1/internal/users/nobody/sessions";

    private final TestServer t = new TestServer(Map.of("AUTHSESSION_INTERNAL_API_TOKEN", "s3cret-token"));

    InternalTokenTest() throws Exception {}

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    @DisplayName("with a token set, internal requests need exactly Authorization: Bearer <token>")
    void token() throws Exception {
        HttpResponse<String> missing = t.get(t.internalUrl(PATH));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(errorCode(missing)).isEqualTo("unauthorized");
        assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(t.get(t.internalUrl(PATH), "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(t.get(t.internalUrl(PATH), "Authorization", "Bearer s3cret-token2").statusCode()).isEqualTo(401);
        assertThat(t.get(t.internalUrl(PATH), "Authorization", "s3cret-token").statusCode()).isEqualTo(401);
        assertThat(t.get(t.internalUrl(PATH), "Authorization", "Bearer s3cret-token").statusCode()).isEqualTo(200);
        assertThat(t.get(t.internalUrl(PATH), "Authorization", "bearer s3cret-token").statusCode()).isEqualTo(200);
        assertThat(missing.body()).doesNotContain("s3cret");
    }

    @Test
    @DisplayName("the public listener needs no token")
    void publicUnaffected() throws Exception {
        assertThat(t.post(t.publicUrl("/api/v1/public/auth/send-email-code"), "{\"email\":\"a@example.com\"}")
                .statusCode()).isEqualTo(200);
    }
}
