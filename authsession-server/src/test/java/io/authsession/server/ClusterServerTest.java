package io.authsession.server;

import static io.authsession.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.UnifiedJedis;

/** The server end to end on the testkit's three-primary Redis Cluster (CONTRACT §7.1), over real sockets. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterServerTest {
    private final String namespace = "cl-" + UUID.randomUUID() + ":";
    private final TestServer t;
    private final UnifiedJedis cluster = Topologies.clusterClient();

    ClusterServerTest() throws Exception {
        t = new TestServer(Topologies.cluster(namespace));
    }

    @AfterEach
    void close() {
        t.close();
        cluster.close();
    }

    private String snapshot(String sessionId) {
        return cluster.get(Topologies.clusterSnapshotPrefix(namespace) + sessionId);
    }

    private String stream() {
        return Topologies.clusterStream(namespace);
    }

    private HttpResponse<String> sessions(String userId) throws Exception {
        return t.get(t.internalUrl("/api/v1/internal/users/" + userId + "/sessions"));
    }

    @Test
    @DisplayName("a full login, list, revoke and block: every answer as on one Redis, the gateway sees each change")
    void flows() throws Exception {
        JsonObject first = t.login("a@example.com");
        String userId = first.get("user_id").getAsString();
        String firstId = first.get("device_session_id").getAsString();
        assertThat(snapshot(firstId)).contains("\"status\":\"active\"");
        t.clock.advance(Duration.ofMinutes(2));
        JsonObject second = t.login("a@example.com");
        String secondId = second.get("device_session_id").getAsString();

        HttpResponse<String> listing = sessions(userId);
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(json(listing).getAsJsonArray("sessions")).hasSize(2);

        HttpResponse<String> revoked = t.post(t.internalUrl("/api/v1/internal/sessions/" + firstId + "/revoke"), "");
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(snapshot(firstId)).contains("\"status\":\"revoked\"");

        HttpResponse<String> blocked = t.post(t.internalUrl("/api/v1/internal/users/" + userId + "/block"),
                "{\"reason\":\"fraud\"}");
        assertThat(blocked.body()).isEqualTo("{\"user_id\":\"" + userId + "\",\"revoked_count\":1}");
        assertThat(snapshot(secondId)).contains("\"revoke_reason\":\"user_blocked\"");
        assertThat(json(sessions(userId)).getAsJsonArray("sessions")).hasSize(2)
                .allMatch(session -> session.getAsJsonObject().get("status").getAsString().equals("revoked"));
        // one event per published revision: two creations, one revocation, one block
        assertThat(cluster.xlen(stream())).isEqualTo(4);
    }

    @Test
    @DisplayName("the projection is all or nothing: with a stream of the wrong type a confirm is 503 and writes no"
            + " snapshot; the same confirm retried writes both")
    void projectionAllOrNothing() throws Exception {
        String challengeId = t.sendCode("a@example.com");
        String code = t.services.codeFor(challengeId);
        cluster.set(stream(), "not a stream");
        HttpResponse<String> failed = t.confirm(challengeId, code);
        assertThat(failed.statusCode()).isEqualTo(503);

        JsonObject sessionsOfUser = json(t.get(t.internalUrl("/api/v1/internal/users/"
                + t.services.users.resolveByEmail(io.authsession.core.domain.EmailAddress.parse("a@example.com"))
                        .userId().orElseThrow() + "/sessions")));
        String sessionId = sessionsOfUser.getAsJsonArray("sessions").get(0).getAsJsonObject()
                .get("device_session_id").getAsString();
        assertThat(snapshot(sessionId)).isNull();

        cluster.del(stream());
        HttpResponse<String> retried = t.confirm(challengeId, code);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(json(retried).get("device_session_id").getAsString()).isEqualTo(sessionId);
        assertThat(snapshot(sessionId)).contains("\"status\":\"active\"");
        assertThat(cluster.xlen(stream())).isEqualTo(1);
    }

    @Test
    @DisplayName("the event=config line names the cluster mode and its seed nodes")
    void configLine() throws Exception {
        Map<String, String> env = new HashMap<>(t.environment());
        env.putAll(Topologies.cluster(namespace));
        try (ServerProcess server = ServerProcess.fromClasspath(env)) {
            String line = server.awaitLine("event=config", Duration.ofSeconds(60));
            assertThat(line).contains(" redis_mode=cluster ",
                    " redis_address=" + env.get("AUTHSESSION_REDIS_ADDR") + " ", " redis_min_replicas_ack=0 ");
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    @DisplayName("gateway names without a common hash tag: the process exits 2 before anything starts, with one line"
            + " naming both variables")
    void untaggedGatewayNames() throws Exception {
        Map<String, String> env = new HashMap<>(t.environment());
        env.putAll(Topologies.cluster(namespace));
        env.put("AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX", "gateway:session:");
        env.put("AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM", "gateway:session_events");
        try (ServerProcess server = ServerProcess.fromClasspath(env)) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(server.stderr()).hasSize(1).first().asString().startsWith("authsession: invalid configuration:"
                    + " AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX and AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM: must"
                    + " share one hash tag in cluster mode");
            assertThat(server.stdout()).noneMatch(line -> line.contains("listener started"));
        }
    }
}
