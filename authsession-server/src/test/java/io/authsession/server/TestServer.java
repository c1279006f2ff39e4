package io.authsession.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.authsession.testkit.MutableClock;
import io.authsession.testkit.RedisTestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import redis.clients.jedis.RedisClient;

/**
 * The server in process, listening on free ports, on the shared test Redis under key names of its own, with REST
 * user and mail services played by {@link FakeServices}, on a {@link MutableClock} the test moves. Requests go over
 * real sockets.
 */
final class TestServer implements AutoCloseable {
    final String namespace = "srv-" + UUID.randomUUID() + ":";
    final RedisTestServer redisServer = RedisTestServer.shared();
    final FakeServices services = new FakeServices();
    final MutableClock clock = MutableClock.create();
    final AuthSessionServer server;
    final RedisClient redis;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final OpenApiContract openApi = OpenApiContract.shared();

    TestServer() throws Exception {
        this(Map.of());
    }

    TestServer(Map<String, String> overrides) throws Exception {
        Map<String, String> env = environment();
        env.putAll(overrides);
        server = AuthSessionServer.start(ServerConfig.fromEnvironment(env, false), env, clock);
        redis = RedisClient.create(redisServer.host(), redisServer.port());
    }

    /** The environment of a server on the test Redis and the fake services, before overrides. */
    Map<String, String> environment() {
        return environment(redisServer, services, namespace);
    }

    /** The environment of a server on {@code redis} and {@code services}, its keys under {@code namespace}. */
    static Map<String, String> environment(RedisTestServer redis, FakeServices services, String namespace) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHSESSION_PUBLIC_HTTP_ADDR", "127.0.0.1:0");
        env.put("AUTHSESSION_INTERNAL_HTTP_ADDR", "127.0.0.1:0");
        env.put("AUTHSESSION_REDIS_ADDR", redis.host() + ":" + redis.port());
        env.put("AUTHSESSION_REDIS_KEY_PREFIX", namespace + "authsession:");
        env.put("AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX", namespace + "gateway:session:");
        env.put("AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM", namespace + "gateway:session_events");
        env.put("AUTHSESSION_USER_SERVICE_MODE", "rest");
        env.put("AUTHSESSION_USER_SERVICE_BASE_URL", services.baseUrl().toString());
        env.put("AUTHSESSION_USER_SERVICE_REQUEST_TIMEOUT", "2s");
        env.put("AUTHSESSION_MAIL_SERVICE_MODE", "rest");
        env.put("AUTHSESSION_MAIL_SERVICE_BASE_URL", services.baseUrl().toString());
        env.put("AUTHSESSION_MAIL_SERVICE_REQUEST_TIMEOUT", "2s");
        env.put("AUTHSESSION_CODE_HASH_KEY", "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=");
        env.put("AUTHSESSION_SHUTDOWN_TIMEOUT", "2s");
        // Inline sends, so that a test sees the mail once the answer is in; SendTimingTest times them.
        env.put("AUTHSESSION_SEND_ANSWER_TIME", "0");
        return env;
    }

    URI publicUrl(String path) {
        return URI.create("http://127.0.0.1:" + server.publicAddress().getPort() + path);
    }

    URI internalUrl(String path) {
        return URI.create("http://127.0.0.1:" + server.internalAddress().getPort() + path);
    }

    HttpResponse<String> post(URI url, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return exchange(request.build());
    }

    HttpResponse<String> get(URI url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return exchange(request.build());
    }

    /** Sends a request line the JDK client would refuse to build; returns the whole raw answer. */
    String raw(int port, String method, String target) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return exchange(request);
    }

    /** Sends the request; an exchange that docs/openapi.yaml does not describe fails the test (OpenApiContract). */
    private HttpResponse<String> exchange(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        openApi.check(request, response, server.publicAddress().getPort(), server.internalAddress().getPort());
        return response;
    }

    /** Sends a code to the address and returns the challenge id. */
    String sendCode(String email) throws IOException, InterruptedException {
        HttpResponse<String> response = post(publicUrl("/api/v1/public/auth/send-email-code"),
                "{\"email\":\"" + email + "\"}");
        return json(response).get("challenge_id").getAsString();
    }

    HttpResponse<String> confirm(String challengeId, String code) throws IOException, InterruptedException {
        return post(publicUrl("/api/v1/public/auth/confirm-email-code"),
                "{\"challenge_id\":\"" + challengeId + "\",\"code\":\"" + code + "\"}");
    }

    /** A complete login; returns the confirm answer ({@code device_session_id}, {@code user_id}). */
    JsonObject login(String email) throws IOException, InterruptedException {
        String challengeId = sendCode(email);
        return json(confirm(challengeId, services.codeFor(challengeId)));
    }

    static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    /** The error code of an error answer. */
    static String errorCode(HttpResponse<String> response) {
        return json(response).getAsJsonObject("error").get("code").getAsString();
    }

    String gatewaySnapshot(String deviceSessionId) {
        return redis.get(namespace + "gateway:session:" + deviceSessionId);
    }

    String gatewayStream() {
        return namespace + "gateway:session_events";
    }

    @Override
    public void close() {
        server.close();
        services.close();
        redis.close();
    }
}
