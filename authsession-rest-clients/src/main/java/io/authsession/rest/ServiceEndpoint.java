package io.authsession.rest;

import com.google.gson.JsonObject;
import io.authsession.core.error.DependencyUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * One outbound service: sends JSON POSTs with the retry rule of CONTRACT §6.1 and turns every transport failure
 * into {@link DependencyUnavailableException}.
 *
 * <p>Nothing here logs or reports a request or answer body: bodies carry e-mail addresses and codes.
 */
final class ServiceEndpoint {
    private static final System.Logger LOG = System.getLogger(ServiceEndpoint.class.getName());
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(502, 503, 504);

    /** Answers are a few dozen bytes; a bigger one is a misrouted request, not something to buffer. */
    static final long MAX_ANSWER_BYTES = 64 * 1024;

    /** Whether a call may be sent a second time. */
    enum Retry {
        /** A read: once more after a transport error or a 502, 503 or 504, after the pause. */
        ONCE_ON_TRANSIENT_FAILURE,
        /** A write: the service may have acted on the first attempt, so it is never repeated. */
        NEVER
    }

    /** What the service answered; {@code body} is read only for a 2xx when asked for, else empty. */
    record Answer(int status, String body, int attempts) {
        boolean successful() {
            return status >= 200 && status < 300;
        }
    }

    private final String dependency;
    private final BaseUrl baseUrl;
    private final OkHttpClient client;
    private final Duration retryPause;
    private final BooleanSupplier closed;
    private final HttpClientTracing tracing;

    ServiceEndpoint(String dependency, BaseUrl baseUrl, OkHttpClient client, Duration retryPause,
            BooleanSupplier closed) {
        this(dependency, baseUrl, client, retryPause, closed, HttpClientTracing.NONE);
    }

    ServiceEndpoint(String dependency, BaseUrl baseUrl, OkHttpClient client, Duration retryPause,
            BooleanSupplier closed, HttpClientTracing tracing) {
        this.tracing = tracing;
        this.dependency = dependency;
        this.baseUrl = baseUrl;
        this.client = client;
        this.retryPause = retryPause;
        this.closed = closed;
    }

    BaseUrl baseUrl() {
        return baseUrl;
    }

    /**
     * POSTs the JSON body; returns whatever HTTP answer came last, and throws only when none came.
     *
     * @param call the endpoint's short name, for messages and logs
     * @param readBody whether a 2xx answer's body is needed
     */
    Answer post(String call, HttpUrl url, JsonObject body, Map<String, String> headers, Retry retry,
            boolean readBody) {
        Request.Builder builder = new Request.Builder()
                .url(url)
                .header("Accept", "application/json")
                .post(RequestBody.create(Json.write(body), JSON));
        headers.forEach(builder::header);
        Request request = builder.build();
        int maxAttempts = retry == Retry.ONCE_ON_TRANSIENT_FAILURE ? 2 : 1;
        for (int attempt = 1; ; attempt++) {
            ensureOpen(call);
            boolean last = attempt == maxAttempts;
            HttpClientTracing.Attempt traced = tracing.start(dependency, call, url, attempt);
            try (Response response = client.newCall(traced.propagate(request)).execute()) {
                int status = response.code();
                if (last || !TRANSIENT_STATUSES.contains(status)) {
                    String text;
                    try {
                        text = readBody && response.isSuccessful() ? read(call, response.body()) : "";
                    } finally {
                        traced.end(status);
                    }
                    return new Answer(status, text, attempt);
                }
                traced.end(status);
                logRetry(call, attempt, "http_" + status);
            } catch (IOException e) {
                traced.failed(describe(e));
                if (last || closed.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                    throw unavailable(call + " got no answer" + attemptsSuffix(attempt) + " (" + describe(e) + ")", e);
                }
                logRetry(call, attempt, describe(e));
            }
            pause(call);
        }
    }

    /** Any HTTP answer from the base URL, whatever its status, means the service is reachable. */
    void ping() {
        ensureOpen("ping");
        Request request = new Request.Builder().url(baseUrl.root()).head().build();
        try (Response ignored = client.newCall(request).execute()) {
            // Reachable: the status says nothing about whether the endpoints will work, and a HEAD of a base
            // URL is often answered 404 or 405.
        } catch (IOException e) {
            throw unavailable("ping got no answer (" + describe(e) + ")", e);
        }
    }

    DependencyUnavailableException unavailable(String message) {
        return new DependencyUnavailableException(dependency, message);
    }

    DependencyUnavailableException unavailable(String message, Throwable cause) {
        return new DependencyUnavailableException(dependency, message, cause);
    }

    /** A failure for a non-2xx answer nobody has a meaning for. */
    DependencyUnavailableException unexpectedStatus(String call, Answer answer) {
        return unavailable(call + " answered HTTP " + answer.status() + attemptsSuffix(answer.attempts()));
    }

    private String read(String call, ResponseBody body) throws IOException {
        BufferedSource source = body.source();
        if (source.request(MAX_ANSWER_BYTES + 1)) {
            throw unavailable(call + " answer is larger than " + MAX_ANSWER_BYTES + " bytes");
        }
        // JSON on the wire is UTF-8 (RFC 8259), whatever the Content-Type says.
        return source.readUtf8();
    }

    private void ensureOpen(String call) {
        if (closed.getAsBoolean()) {
            throw unavailable(call + " not sent: the REST clients are closed");
        }
    }

    private void pause(String call) {
        try {
            TimeUnit.NANOSECONDS.sleep(retryPause.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(call + " interrupted before its retry", e);
        }
    }

    private void logRetry(String call, int attempt, String cause) {
        LOG.log(Level.WARNING, () -> "event=" + dependency + "_retry call=" + call + " attempt=" + attempt
                + " cause=" + cause + " pause_ms=" + retryPause.toMillis());
    }

    /** The kind of failure, never its message: OkHttp's messages are not ours to vouch for. */
    private static String describe(IOException e) {
        return e instanceof InterruptedIOException ? "timeout" : "io_error:" + e.getClass().getSimpleName();
    }

    private static String attemptsSuffix(int attempts) {
        return attempts > 1 ? " after " + attempts + " attempts" : "";
    }
}
