package io.authsession.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The REST user service and mail service (CONTRACT §6.1, §6.2) the server under load calls, in the load tool's JVM:
 * every address is creatable until ensured, user ids are stable per address, and each mailed code waits here until
 * the load tool types it. Answers on Undertow's I/O threads: no blocking, little CPU.
 */
final class FakeServices implements AutoCloseable {
    private final Undertow server;
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private final Map<String, String> users = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final long latencyMillis;

    FakeServices() {
        this(Duration.ZERO);
    }

    /** Services that answer each call {@code latency} after its body arrived, as remote services would. */
    FakeServices(Duration latency) {
        latencyMillis = latency.toMillis();
        server = Undertow.builder()
                .setIoThreads(2)
                .setWorkerThreads(2)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(this::handle)
                .build();
        server.start();
    }

    String baseUrl() {
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return "http://127.0.0.1:" + address.getPort() + "/";
    }

    /** The code mailed for the challenge, forgotten once taken. */
    String takeCode(String challengeId) {
        String code = codes.remove(challengeId);
        if (code == null) {
            throw new IllegalStateException("no code was mailed for challenge " + challengeId);
        }
        return code;
    }

    private void handle(HttpServerExchange exchange) {
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.endExchange(); // the server's reachability check
            return;
        }
        exchange.getRequestReceiver().receiveFullString((ex, body) -> {
            if (latencyMillis == 0) {
                answer(ex, body);
            } else {
                // Keeps the exchange open without holding a thread, and answers from the I/O thread later.
                ex.dispatch(SameThreadExecutor.INSTANCE, () -> ex.getIoThread().executeAfter(() -> answer(ex, body),
                        latencyMillis, TimeUnit.MILLISECONDS));
            }
        }, StandardCharsets.UTF_8);
    }

    private void answer(HttpServerExchange exchange, String body) {
        String path = exchange.getRequestPath();
        JsonObject request;
        try {
            request = JsonParser.parseString(body).getAsJsonObject();
        } catch (RuntimeException e) {
            exchange.setStatusCode(400).endExchange();
            return;
        }
        switch (path) {
            case "/api/v1/users/resolve-by-email" -> {
                String userId = users.get(request.get("email").getAsString());
                json(exchange, userId == null ? "{\"status\":\"creatable\"}"
                        : "{\"status\":\"existing\",\"user_id\":\"" + userId + "\"}");
            }
            case "/api/v1/users/ensure-by-email" -> {
                String userId = users.computeIfAbsent(request.get("email").getAsString(), e -> "u" + ids.incrementAndGet());
                json(exchange, "{\"user_id\":\"" + userId + "\",\"blocked\":false}");
            }
            case "/api/v1/mail/login-code" -> {
                codes.put(request.get("challenge_id").getAsString(), request.get("code").getAsString());
                exchange.setStatusCode(202).endExchange();
            }
            default -> exchange.setStatusCode(404).endExchange();
        }
    }

    private static void json(HttpServerExchange exchange, String body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body);
    }

    @Override
    public void close() {
        server.stop();
    }
}
