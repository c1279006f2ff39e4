package io.authsession.server;

import static io.authsession.server.TestServer.errorCode;
import static io.authsession.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.authsession.core.port.LoginCodeMail;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CONTRACT §1 and §2 over real sockets: the public listener against real Redis and HTTP user and mail services. */
class PublicApiTest {
    private static final String SEND = "/api/v1/public/auth/send-email-code";
    private static final String CONFIRM = "/api/v1/public/auth/confirm-email-code";

    private final TestServer t = new TestServer();

    PublicApiTest() throws Exception {}

    @AfterEach
    void stop() {
        t.close();
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    @Nested
    @DisplayName("send-email-code")
    class Send {
        @Test
        @DisplayName("answers 200 with a challenge id, JSON and no-store, and mails the code to the normalised address")
        void sends() throws Exception {
            HttpResponse<String> response = t.post(t.publicUrl(SEND), "{\"email\": \" User@Example.COM \"}");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
            String challengeId = json(response).get("challenge_id").getAsString();
            assertThat(json(response).keySet()).containsExactly("challenge_id");
            LoginCodeMail mail = t.services.mail.sent().get(0);
            assertThat(mail.email().value()).isEqualTo("user@example.com");
            assertThat(mail.challengeId()).isEqualTo(challengeId);
        }

        @Test
        @DisplayName("answers the same shape when throttled or blocked, so a caller cannot tell")
        void sameShape() throws Exception {
            t.services.users.registerBlocked("blocked@example.com");
            HttpResponse<String> first = t.post(t.publicUrl(SEND), "{\"email\":\"a@example.com\"}");
            HttpResponse<String> throttled = t.post(t.publicUrl(SEND), "{\"email\":\"a@example.com\"}");
            HttpResponse<String> blocked = t.post(t.publicUrl(SEND), "{\"email\":\"blocked@example.com\"}");
            for (HttpResponse<String> response : java.util.List.of(first, throttled, blocked)) {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(json(response).keySet()).containsExactly("challenge_id");
            }
            assertThat(t.services.mail.sent()).hasSize(1);
        }

        @Test
        @DisplayName("needs no Content-Type and ignores unknown fields")
        void lenientEnvelope() throws Exception {
            HttpResponse<String> response = t.send(HttpRequest.newBuilder(t.publicUrl(SEND))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@example.com\",\"locale\":\"fr\"}")).build());
            assertThat(response.statusCode()).isEqualTo(200);
        }

        @ParameterizedTest(name = "body [{0}]")
        @ValueSource(strings = {"", "not json", "[]", "\"a@example.com\"", "42", "{\"email\": 42}",
            "{'email': 'a@example.com'}", "{\"email\":\"a@example.com\"} trailing", "{}", "{\"email\": null}"})
        @DisplayName("a body that is not a JSON object with a string email is 400 invalid_request")
        void badBodies(String body) throws Exception {
            HttpResponse<String> response = t.post(t.publicUrl(SEND), body);
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(errorCode(response)).isEqualTo("invalid_request");
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(t.services.mail.attempted()).isEmpty();
        }

        @Test
        @DisplayName("data after the JSON object is named as such")
        void trailingData() throws Exception {
            HttpResponse<String> response = t.post(t.publicUrl(SEND), "{\"email\":\"a@example.com\"} {}");
            assertThat(json(response).getAsJsonObject("error").get("message").getAsString())
                    .isEqualTo("body: has data after the JSON value");
        }

        @Test
        @DisplayName("an invalid address is 400 with a message naming the field (the smoke request)")
        void invalidAddress() throws Exception {
            HttpResponse<String> response = t.post(t.publicUrl(SEND), "{\"email\":\"not-an-address\"}");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).getAsJsonObject("error").get("message").getAsString()).startsWith("email: ");
        }

        @Test
        @DisplayName("a body over 16 KiB is 413 request_too_large, with or without a declared length")
        void tooLarge() throws Exception {
            String big = "{\"email\":\"a@example.com\",\"pad\":\"" + "x".repeat(16 * 1024) + "\"}";
            HttpResponse<String> declared = t.post(t.publicUrl(SEND), big);
            assertThat(declared.statusCode()).isEqualTo(413);
            assertThat(errorCode(declared)).isEqualTo("request_too_large");
            HttpResponse<String> chunked = t.send(HttpRequest.newBuilder(t.publicUrl(SEND)).POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes()))).build());
            assertThat(chunked.statusCode()).isEqualTo(413);
            String fits = "{\"email\":\"a@example.com\",\"pad\":\"" + "x".repeat(16 * 1024 - 40) + "\"}";
            assertThat(t.post(t.publicUrl(SEND), fits).statusCode()).isEqualTo(200);
        }

        @Test
        @DisplayName("a failing user service is 503 without a challenge id, and an immediate retry sends")
        void userServiceDown() throws Exception {
            t.services.users.failNextCalls(2);
            HttpResponse<String> response = t.post(t.publicUrl(SEND), "{\"email\":\"a@example.com\"}");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(errorCode(response)).isEqualTo("service_unavailable");
            assertThat(response.body()).doesNotContain("challenge_id", "user_service", "Exception", "http://");
            assertThat(t.post(t.publicUrl(SEND), "{\"email\":\"a@example.com\"}").statusCode()).isEqualTo(200);
            assertThat(t.services.mail.sent()).hasSize(1);
        }

        @Test
        @DisplayName("a failing mail service is 503, and an immediate retry sends")
        void mailServiceDown() throws Exception {
            t.services.mail.failNextCalls(1);
            assertThat(t.post(t.publicUrl(SEND), "{\"email\":\"a@example.com\"}").statusCode()).isEqualTo(503);
            assertThat(t.post(t.publicUrl(SEND), "{\"email\":\"a@example.com\"}").statusCode()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("confirm-email-code")
    class Confirm {
        @Test
        @DisplayName("answers the session and user, and projects a snapshot equal to the internal API's session")
        void confirms() throws Exception {
            String challengeId = t.sendCode("a@example.com");
            HttpResponse<String> response = t.post(t.publicUrl(CONFIRM), "{\"challenge_id\":\"" + challengeId
                    + "\",\"code\":\"" + t.services.codeFor(challengeId) + "\",\"device_name\":\"Pixel 8\","
                    + "\"client_public_key\":\"" + "A".repeat(43) + "\"}");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
            JsonObject login = json(response);
            assertThat(login.keySet()).containsExactlyInAnyOrder("device_session_id", "user_id");
            String sessionId = login.get("device_session_id").getAsString();

            String internal = t.get(t.internalUrl("/api/v1/internal/sessions/" + sessionId)).body();
            assertThat(t.gatewaySnapshot(sessionId)).isEqualTo(internal);
            JsonObject session = com.google.gson.JsonParser.parseString(internal).getAsJsonObject();
            assertThat(session.get("status").getAsString()).isEqualTo("active");
            assertThat(session.get("device_name").getAsString()).isEqualTo("Pixel 8");
            assertThat(session.get("client_public_key").getAsString()).isEqualTo("A".repeat(43) + "=");
        }

        @Test
        @DisplayName("every row of the table has its status and code")
        void table() throws Exception {
            assertThat(errorCode(t.confirm("no-such-challenge", "123456"))).isEqualTo("challenge_not_found");
            assertThat(t.confirm("no-such-challenge", "123456").statusCode()).isEqualTo(404);

            String challengeId = t.sendCode("a@example.com");
            String code = t.services.codeFor(challengeId);
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> wrongCode = t.confirm(challengeId, wrong(code));
                assertThat(wrongCode.statusCode()).isEqualTo(400);
                assertThat(errorCode(wrongCode)).isEqualTo("invalid_code");
            }
            HttpResponse<String> locked = t.confirm(challengeId, code);
            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(errorCode(locked)).isEqualTo("too_many_attempts");

            String blockedChallenge = t.sendCode("b@example.com");
            String userId = t.services.users.register("b@example.com");
            t.post(t.internalUrl("/api/v1/internal/users/" + userId + "/block"), "");
            HttpResponse<String> blocked = t.confirm(blockedChallenge, t.services.codeFor(blockedChallenge));
            assertThat(blocked.statusCode()).isEqualTo(403);
            assertThat(errorCode(blocked)).isEqualTo("user_blocked");
        }

        @Test
        @DisplayName("an expired code is 410 challenge_expired")
        void expired() throws Exception {
            try (TestServer shortLived = new TestServer(Map.of("AUTHSESSION_CHALLENGE_TTL", "5m"))) {
                String challengeId = shortLived.sendCode("a@example.com");
                shortLived.clock.advance(java.time.Duration.ofMinutes(5));
                HttpResponse<String> response = shortLived.confirm(challengeId, shortLived.services.codeFor(challengeId));
                assertThat(response.statusCode()).isEqualTo(410);
                assertThat(errorCode(response)).isEqualTo("challenge_expired");
            }
        }

        @ParameterizedTest(name = "body [{0}]")
        @ValueSource(strings = {"{\"challenge_id\":\"c\",\"code\":42917}", "{\"challenge_id\":\"c\",\"code\":\"42917\"}",
            "{\"code\":\"123456\"}", "{\"challenge_id\":\"\",\"code\":\"123456\"}",
            "{\"challenge_id\":\"c\",\"code\":\"123456\",\"client_public_key\":\"AAAA\"}",
            "{\"challenge_id\":\"c\",\"code\":\"123456\",\"device_name\":7}", "[]"})
        @DisplayName("a malformed request is 400 invalid_request and counts no attempt")
        void malformed(String body) throws Exception {
            HttpResponse<String> response = t.post(t.publicUrl(CONFIRM), body);
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(errorCode(response)).isEqualTo("invalid_request");
        }

        @Test
        @DisplayName("a projection failure is 503; the same confirm retried answers the same session and repairs it")
        void projectionRepair() throws Exception {
            String challengeId = t.sendCode("a@example.com");
            String code = t.services.codeFor(challengeId);
            t.redis.set(t.gatewayStream(), "not a stream");
            HttpResponse<String> failed = t.confirm(challengeId, code);
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.body()).doesNotContain("WRONGTYPE", "redis", "device_session_id");

            t.redis.del(t.gatewayStream());
            HttpResponse<String> retried = t.confirm(challengeId, code);
            assertThat(retried.statusCode()).isEqualTo(200);
            String sessionId = json(retried).get("device_session_id").getAsString();
            assertThat(t.gatewaySnapshot(sessionId)).contains("\"status\":\"active\"");
            assertThat(t.redis.xlen(t.gatewayStream())).isEqualTo(1);
            assertThat(t.confirm(challengeId, code).body()).isEqualTo(retried.body());
        }
    }

    @Nested
    @DisplayName("routing")
    class Routing {
        @Test
        @DisplayName("an unknown path is 404 not_found; an internal path on the public listener too")
        void unknown() throws Exception {
            HttpResponse<String> unknown = t.get(t.publicUrl("/api/v1/public/nothing"));
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(errorCode(unknown)).isEqualTo("not_found");
            HttpResponse<String> internal = t.get(t.publicUrl("/api/v1/internal/users/u1/sessions"));
            assertThat(internal.statusCode()).isEqualTo(404);
            assertThat(t.get(t.publicUrl(SEND + "/")).statusCode()).isEqualTo(404);
        }

        @Test
        @DisplayName("a known path with the wrong method is 405 method_not_allowed with Allow")
        void wrongMethod() throws Exception {
            HttpResponse<String> response = t.get(t.publicUrl(SEND));
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(errorCode(response)).isEqualTo("method_not_allowed");
            assertThat(response.headers().firstValue("Allow")).contains("POST");
        }
    }
}
