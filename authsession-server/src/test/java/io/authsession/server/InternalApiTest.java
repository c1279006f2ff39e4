package io.authsession.server;

import static io.authsession.server.TestServer.errorCode;
import static io.authsession.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.authsession.core.CodeHashKey;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** CONTRACT §3 over real sockets. */
class InternalApiTest {
    private final TestServer t = new TestServer(Map.of("AUTHSESSION_RESEND_COOLDOWN", "0"));

    InternalApiTest() throws Exception {}

    @AfterEach
    void stop() {
        t.close();
    }

    private HttpResponse<String> list(String userId, String query) throws Exception {
        return t.get(t.internalUrl("/api/v1/internal/users/" + userId + "/sessions" + query));
    }

    private static List<String> ids(HttpResponse<String> listing) {
        JsonArray sessions = json(listing).getAsJsonArray("sessions");
        return StreamSupport.stream(sessions.spliterator(), false)
                .map(JsonElement::getAsJsonObject)
                .map(session -> session.get("device_session_id").getAsString())
                .toList();
    }

    @Nested
    @DisplayName("listing and reading")
    class Reading {
        @Test
        @DisplayName("an unknown user has an empty list (the smoke request)")
        void smoke() throws Exception {
            HttpResponse<String> response = list("nobody", "");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"user_id\":\"nobody\",\"sessions\":[]}");
            assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        }

        @Test
        @DisplayName("sessions are listed newest first and filtered by status")
        void listed() throws Exception {
            JsonObject first = t.login("a@example.com");
            t.clock.advance(java.time.Duration.ofSeconds(1));
            JsonObject second = t.login("a@example.com");
            String userId = first.get("user_id").getAsString();
            String firstId = first.get("device_session_id").getAsString();
            String secondId = second.get("device_session_id").getAsString();
            t.post(t.internalUrl("/api/v1/internal/sessions/" + firstId + "/revoke"), "");

            assertThat(ids(list(userId, ""))).containsExactly(secondId, firstId);
            assertThat(ids(list(userId, "?status=active"))).containsExactly(secondId);
            assertThat(ids(list(userId, "?status=revoked"))).containsExactly(firstId);
            assertThat(ids(list(userId, "?status=expired"))).isEmpty();
            HttpResponse<String> bad = list(userId, "?status=gone");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(errorCode(bad)).isEqualTo("invalid_request");
        }

        @Test
        @DisplayName("a session is read by id; an unknown one is 404 session_not_found")
        void get() throws Exception {
            String sessionId = t.login("a@example.com").get("device_session_id").getAsString();
            HttpResponse<String> found = t.get(t.internalUrl("/api/v1/internal/sessions/" + sessionId));
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(json(found).keySet()).containsExactly("device_session_id", "user_id", "status", "created_at",
                    "expires_at", "revision");
            assertThat(json(found).get("created_at").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            HttpResponse<String> missing = t.get(t.internalUrl("/api/v1/internal/sessions/unknown"));
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(errorCode(missing)).isEqualTo("session_not_found");
        }

        @Test
        @DisplayName("path parameters are URL-decoded and must be 1 to 128 characters without control characters")
        void pathParameters() throws Exception {
            HttpResponse<String> encoded = list("team%2Fa%20b%2B", "");
            assertThat(encoded.statusCode()).isEqualTo(200);
            assertThat(json(encoded).get("user_id").getAsString()).isEqualTo("team/a b+");
            assertThat(list("u".repeat(129), "").statusCode()).isEqualTo(400);
            assertThat(errorCode(list("a%01b", ""))).isEqualTo("invalid_request");
            // A broken escape is refused by Undertow's HTTP parser, before any handler, and still gets the envelope.
            assertThat(t.raw(t.server.internalAddress().getPort(), "GET", "/api/v1/internal/users/a%zzb/sessions"))
                    .startsWith("HTTP/1.1 400").contains("\"code\":\"invalid_request\"");
            assertThat(t.raw(t.server.internalAddress().getPort(), "GET", "/api/v1/internal/users/a/sessions?status=%zz"))
                    .startsWith("HTTP/1.1 400").contains("\"code\":\"invalid_request\"");
            assertThat(errorCode(list("a%C3%28b", ""))).isEqualTo("invalid_request");
            assertThat(list("", "").statusCode()).isEqualTo(400);
        }
    }

    @Nested
    @DisplayName("session lifetime")
    class Lifetime {
        private TestServer idle;

        @AfterEach
        void stopIdle() {
            if (idle != null) {
                idle.close();
            }
        }

        private TestServer withIdleTimeout() throws Exception {
            idle = new TestServer(Map.of("AUTHSESSION_SESSION_IDLE_TIMEOUT", "1h",
                    "AUTHSESSION_SESSION_MAX_LIFETIME", "3h"));
            return idle;
        }

        private HttpResponse<String> extend(TestServer server, String sessionId) throws Exception {
            return server.post(server.internalUrl("/api/v1/internal/sessions/" + sessionId + "/extend"), "");
        }

        @Test
        @DisplayName("a session carries expires_at; the gateway snapshot too, its key living exactly until then")
        void expiresAt() throws Exception {
            TestServer server = withIdleTimeout();
            String sessionId = server.login("a@example.com").get("device_session_id").getAsString();
            JsonObject session = json(server.get(server.internalUrl("/api/v1/internal/sessions/" + sessionId)));
            assertThat(session.get("expires_at").getAsString()).isEqualTo("2026-11-22T11:00:00.000Z");
            assertThat(JsonParserHolder.parse(server.gatewaySnapshot(sessionId)).get("expires_at").getAsString())
                    .isEqualTo("2026-11-22T11:00:00.000Z");
            long ttl = server.redis.pttl(server.namespace + "gateway:session:" + sessionId);
            assertThat(ttl).isBetween(java.time.Duration.ofMinutes(59).toMillis(), java.time.Duration.ofHours(1).toMillis());
        }

        @Test
        @DisplayName("extend answers the session: under a minute unchanged, later moved and projected, never past the cap")
        void extends_() throws Exception {
            TestServer server = withIdleTimeout();
            String sessionId = server.login("a@example.com").get("device_session_id").getAsString();
            HttpResponse<String> unchanged = extend(server, sessionId);
            assertThat(unchanged.statusCode()).isEqualTo(200);
            assertThat(json(unchanged).get("revision").getAsLong()).isEqualTo(1);

            server.clock.advance(java.time.Duration.ofMinutes(40));
            HttpResponse<String> moved = extend(server, sessionId);
            assertThat(json(moved).get("revision").getAsLong()).isEqualTo(2);
            assertThat(json(moved).get("expires_at").getAsString()).isEqualTo("2026-11-22T11:40:00.000Z");
            assertThat(server.gatewaySnapshot(sessionId)).isEqualTo(moved.body());

            server.clock.advance(java.time.Duration.ofMinutes(50));
            assertThat(json(extend(server, sessionId)).get("expires_at").getAsString())
                    .isEqualTo("2026-11-22T12:30:00.000Z");
            server.clock.advance(java.time.Duration.ofMinutes(50));
            assertThat(json(extend(server, sessionId)).get("expires_at").getAsString())
                    .as("capped at created_at + session_max_lifetime").isEqualTo("2026-11-22T13:00:00.000Z");
        }

        @Test
        @DisplayName("an expired session is listed as expired, revoking it is 200 unchanged, extending it is 409")
        void expired() throws Exception {
            TestServer server = withIdleTimeout();
            JsonObject login = server.login("a@example.com");
            String sessionId = login.get("device_session_id").getAsString();
            String userId = login.get("user_id").getAsString();
            server.clock.advance(java.time.Duration.ofHours(1));

            HttpResponse<String> listing = server.get(server.internalUrl("/api/v1/internal/users/" + userId
                    + "/sessions?status=expired"));
            assertThat(ids(listing)).containsExactly(sessionId);
            assertThat(ids(server.get(server.internalUrl("/api/v1/internal/users/" + userId
                    + "/sessions?status=active")))).isEmpty();

            HttpResponse<String> revoked = server.post(server.internalUrl("/api/v1/internal/sessions/" + sessionId
                    + "/revoke"), "");
            assertThat(revoked.statusCode()).isEqualTo(200);
            assertThat(json(revoked).get("status").getAsString()).isEqualTo("expired");
            assertThat(json(revoked).get("revision").getAsLong()).isEqualTo(1);

            HttpResponse<String> inactive = extend(server, sessionId);
            assertThat(inactive.statusCode()).isEqualTo(409);
            assertThat(errorCode(inactive)).isEqualTo("session_inactive");
            assertThat(inactive.headers().firstValue("Content-Type")).contains("application/json");
        }

        @Test
        @DisplayName("extending a revoked session is 409 session_inactive; an unknown one 404; GET is 405")
        void inactiveAndUnknown() throws Exception {
            String sessionId = t.login("a@example.com").get("device_session_id").getAsString();
            t.post(t.internalUrl("/api/v1/internal/sessions/" + sessionId + "/revoke"), "");
            HttpResponse<String> revoked = extend(t, sessionId);
            assertThat(revoked.statusCode()).isEqualTo(409);
            assertThat(errorCode(revoked)).isEqualTo("session_inactive");
            HttpResponse<String> unknown = extend(t, "unknown");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(errorCode(unknown)).isEqualTo("session_not_found");
            HttpResponse<String> get = t.get(t.internalUrl("/api/v1/internal/sessions/" + sessionId + "/extend"));
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).contains("POST");
        }
    }

    @Nested
    @DisplayName("revoking")
    class Revoking {
        @Test
        @DisplayName("revoking answers the revoked session; again changes nothing; the projection follows")
        void revoke() throws Exception {
            String sessionId = t.login("a@example.com").get("device_session_id").getAsString();
            String url = "/api/v1/internal/sessions/" + sessionId + "/revoke";
            HttpResponse<String> revoked = t.post(t.internalUrl(url), "{\"reason\":\"logout\"}");
            assertThat(revoked.statusCode()).isEqualTo(200);
            JsonObject session = json(revoked);
            assertThat(session.get("status").getAsString()).isEqualTo("revoked");
            assertThat(session.get("revoke_reason").getAsString()).isEqualTo("logout");
            assertThat(session.get("revision").getAsLong()).isEqualTo(2);
            assertThat(t.gatewaySnapshot(sessionId)).isEqualTo(revoked.body());

            HttpResponse<String> again = t.post(t.internalUrl(url), "{\"reason\":\"other\"}");
            assertThat(again.body()).isEqualTo(revoked.body());
        }

        @Test
        @DisplayName("the reason is optional (unspecified), at most 256 characters, and the body must be an object")
        void reasons() throws Exception {
            String sessionId = t.login("a@example.com").get("device_session_id").getAsString();
            String url = "/api/v1/internal/sessions/" + sessionId + "/revoke";
            assertThat(errorCode(t.post(t.internalUrl(url), "{\"reason\":\"" + "r".repeat(257) + "\"}")))
                    .isEqualTo("invalid_request");
            assertThat(errorCode(t.post(t.internalUrl(url), "[\"logout\"]"))).isEqualTo("invalid_request");
            assertThat(errorCode(t.post(t.internalUrl(url), "{\"reason\":5}"))).isEqualTo("invalid_request");
            assertThat(json(t.post(t.internalUrl(url), "")).get("revoke_reason").getAsString()).isEqualTo("unspecified");
        }

        @Test
        @DisplayName("revoking an unknown session is 404 session_not_found")
        void unknown() throws Exception {
            HttpResponse<String> response = t.post(t.internalUrl("/api/v1/internal/sessions/nope/revoke"), "");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(errorCode(response)).isEqualTo("session_not_found");
        }

        @Test
        @DisplayName("a failed projection is 503; a retried revoke repairs it")
        void repair() throws Exception {
            String sessionId = t.login("a@example.com").get("device_session_id").getAsString();
            String url = "/api/v1/internal/sessions/" + sessionId + "/revoke";
            t.redis.rename(t.gatewayStream(), t.gatewayStream() + ":aside");
            t.redis.set(t.gatewayStream(), "not a stream");
            assertThat(t.post(t.internalUrl(url), "").statusCode()).isEqualTo(503);
            assertThat(t.gatewaySnapshot(sessionId)).contains("\"status\":\"active\"");

            t.redis.del(t.gatewayStream());
            t.redis.rename(t.gatewayStream() + ":aside", t.gatewayStream());
            assertThat(t.post(t.internalUrl(url), "").statusCode()).isEqualTo(200);
            assertThat(t.gatewaySnapshot(sessionId)).contains("\"status\":\"revoked\"");
        }

        @Test
        @DisplayName("revoke-all counts the sessions it revoked")
        void revokeAll() throws Exception {
            String userId = t.login("a@example.com").get("user_id").getAsString();
            t.login("a@example.com");
            String url = "/api/v1/internal/users/" + userId + "/sessions/revoke-all";
            HttpResponse<String> response = t.post(t.internalUrl(url), "{\"reason\":\"password_reset\"}");
            assertThat(response.body()).isEqualTo("{\"user_id\":\"" + userId + "\",\"revoked_count\":2}");
            assertThat(json(t.post(t.internalUrl(url), "")).get("revoked_count").getAsInt()).isZero();
        }
    }

    @Nested
    @DisplayName("identity: a path parameter is taken whole, never cut at ';'")
    class Identity {
        @Test
        @DisplayName("revoke-all for 'u;x' revokes nothing of u")
        void revokeAll() throws Exception {
            JsonObject login = t.login("a@example.com");
            String userId = login.get("user_id").getAsString();
            HttpResponse<String> response = t.post(t.internalUrl("/api/v1/internal/users/" + userId
                    + ";x/sessions/revoke-all"), "");
            assertThat(response.body()).isEqualTo("{\"user_id\":\"" + userId + ";x\",\"revoked_count\":0}");
            assertThat(t.gatewaySnapshot(login.get("device_session_id").getAsString())).contains("\"status\":\"active\"");
        }

        @Test
        @DisplayName("blocking 'u;x' asks the user service about 'u;x' (unknown: 404) and leaves u alone")
        void block() throws Exception {
            JsonObject login = t.login("a@example.com");
            String userId = login.get("user_id").getAsString();
            HttpResponse<String> response = t.post(t.internalUrl("/api/v1/internal/users/" + userId + ";x/block"), "");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(errorCode(response)).isEqualTo("user_not_found");
            assertThat(t.services.users.isBlocked(userId)).isFalse();
        }

        @Test
        @DisplayName("revoking 's;x' is 404 and leaves session s active")
        void revoke() throws Exception {
            String sessionId = t.login("a@example.com").get("device_session_id").getAsString();
            HttpResponse<String> response = t.post(t.internalUrl("/api/v1/internal/sessions/" + sessionId + ";x/revoke"),
                    "");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(errorCode(response)).isEqualTo("session_not_found");
            assertThat(t.gatewaySnapshot(sessionId)).contains("\"status\":\"active\"");
        }

        @Test
        @DisplayName("the access log shows the route template and the keyed fingerprint of a session id, never the id")
        void accessLog() throws Exception {
            String sessionId = t.login("a@example.com").get("device_session_id").getAsString();
            String fingerprint = CodeHashKey.fromBase64(t.environment().get("AUTHSESSION_CODE_HASH_KEY"))
                    .fingerprintOf(sessionId);
            try (LogCapture logs = new LogCapture()) {
                assertThat(t.post(t.internalUrl("/api/v1/internal/sessions/" + sessionId + "/revoke"), "")
                        .statusCode()).isEqualTo(200);
                assertThat(t.get(t.internalUrl("/api/v1/internal/sessions/" + sessionId)).statusCode()).isEqualTo(200);
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (logs.lines().stream().filter(line -> line.contains("event=http_request")).count() < 2
                        && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(logs.lines()).filteredOn(line -> line.contains("event=http_request"))
                        .hasSize(2)
                        .anyMatch(line -> line.contains("route=/api/v1/internal/sessions/{device_session_id}/revoke"
                                + " session_fingerprint=" + fingerprint + " status=200"))
                        .anyMatch(line -> line.contains("route=/api/v1/internal/sessions/{device_session_id}"
                                + " session_fingerprint=" + fingerprint + " status=200"));
                assertThat(logs.lines()).noneMatch(line -> line.contains(sessionId));
            }
        }
    }

    @Nested
    @DisplayName("blocking")
    class Blocking {
        @Test
        @DisplayName("block records it in the user service, revokes every session, then sends are suppressed")
        void block() throws Exception {
            JsonObject login = t.login("a@example.com");
            String userId = login.get("user_id").getAsString();
            HttpResponse<String> response = t.post(t.internalUrl("/api/v1/internal/users/" + userId + "/block"),
                    "{\"reason\":\"fraud\"}");
            assertThat(response.body()).isEqualTo("{\"user_id\":\"" + userId + "\",\"revoked_count\":1}");
            assertThat(t.services.users.isBlocked(userId)).isTrue();
            assertThat(t.gatewaySnapshot(login.get("device_session_id").getAsString()))
                    .contains("\"revoke_reason\":\"user_blocked\"");

            int mails = t.services.mail.attempted().size();
            assertThat(t.post(t.publicUrl("/api/v1/public/auth/send-email-code"), "{\"email\":\"a@example.com\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(t.services.mail.attempted()).hasSize(mails);
            assertThat(json(t.post(t.internalUrl("/api/v1/internal/users/" + userId + "/block"), ""))
                    .get("revoked_count").getAsInt()).isZero();
        }

        @Test
        @DisplayName("an unknown user is 404 user_not_found; a failing user service is 503")
        void failures() throws Exception {
            HttpResponse<String> unknown = t.post(t.internalUrl("/api/v1/internal/users/ghost/block"), "");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(errorCode(unknown)).isEqualTo("user_not_found");
            t.services.users.failNextCalls(1);
            HttpResponse<String> down = t.post(t.internalUrl("/api/v1/internal/users/ghost/block"), "");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(errorCode(down)).isEqualTo("service_unavailable");
        }
    }

    @Test
    @DisplayName("a bug (here a corrupt record) is 500 internal_error, without stack trace or internals")
    void internalError() throws Exception {
        String sessionId = t.login("a@example.com").get("device_session_id").getAsString();
        t.redis.hset(t.namespace + "authsession:{" + sessionId.substring(0, 4) + "}:session:" + sessionId,
                "revision", "not-a-number");
        HttpResponse<String> response = t.get(t.internalUrl("/api/v1/internal/sessions/" + sessionId));
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"error\":{\"code\":\"internal_error\",\"message\":\"internal error\"}}");
    }

    @Test
    @DisplayName("a public route on the internal listener is 404, and wrong methods are 405 with Allow")
    void routing() throws Exception {
        assertThat(errorCode(t.post(t.internalUrl("/api/v1/public/auth/send-email-code"), "{}"))).isEqualTo("not_found");
        HttpResponse<String> wrong = t.post(t.internalUrl("/api/v1/internal/users/u1/sessions"), "");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).contains("GET");
    }

    /** Parses a JSON object from a snapshot string. */
    private static final class JsonParserHolder {
        static JsonObject parse(String json) {
            return com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        }
    }
}
