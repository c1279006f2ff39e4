package io.authsession.rest;

import io.authsession.core.error.InvalidSettingException;
import io.authsession.core.port.MailSender;
import io.authsession.core.port.UserDirectory;
import io.opentelemetry.api.OpenTelemetry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The REST user directory and mail sender of CONTRACT §6.1 and §6.2, sharing one HTTP client that {@link #close()}
 * releases.
 *
 * <pre>{@code
 * RestClients rest = RestClients.builder()
 *         .userServiceBaseUrl(URI.create("https://users.internal/users-svc/"))
 *         .userServiceRequestTimeout(Duration.ofSeconds(2))
 *         .mailServiceBaseUrl(URI.create("https://mail.internal"))
 *         .mailServiceRequestTimeout(Duration.ofSeconds(5))
 *         .build();
 * UserDirectory users = rest.userDirectory().orElseThrow();
 * }</pre>
 *
 * <p>Each client exists only when its base URL was set, so that one service can be REST and the other a stub. Both
 * are thread-safe. Every failure to get a usable answer is a
 * {@link io.authsession.core.error.DependencyUnavailableException} naming {@code user_service} or {@code mail_service}.
 */
public final class RestClients implements AutoCloseable {
    /** The pause before a read's single retry, unless {@link Builder#retryPause(Duration)} says otherwise. */
    public static final Duration DEFAULT_RETRY_PAUSE = Duration.ofMillis(100);

    private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofHours(24);
    private static final Duration MAX_RETRY_PAUSE = Duration.ofMinutes(1);

    private final OkHttpClient client;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Optional<UserDirectory> userDirectory;
    private final Optional<MailSender> mailSender;
    private final HttpClientTracing tracing;

    private RestClients(Builder builder) {
        tracing = builder.openTelemetry == null || builder.openTelemetry == OpenTelemetry.noop()
                ? HttpClientTracing.NONE : new HttpClientTracing(builder.openTelemetry);
        client = new OkHttpClient.Builder()
                // OkHttp would otherwise repeat a request on some connection failures by itself, writes included.
                .retryOnConnectionFailure(false)
                // A redirect is not in the contracts; following one could turn a POST into a GET elsewhere.
                .followRedirects(false)
                .followSslRedirects(false)
                // Shorter than the usual server idle timeouts, so that a pooled connection is rarely stale: a
                // write on a stale connection fails, and writes are never retried.
                .connectionPool(new ConnectionPool(5, 30, TimeUnit.SECONDS))
                .build();
        userDirectory = Optional.ofNullable(builder.userServiceBaseUrl).map(baseUrl -> new OkHttpUserDirectory(
                endpoint(OkHttpUserDirectory.DEPENDENCY, baseUrl, builder.userServiceRequestTimeout, builder.retryPause)));
        mailSender = Optional.ofNullable(builder.mailServiceBaseUrl).map(baseUrl -> new OkHttpMailSender(
                endpoint(OkHttpMailSender.DEPENDENCY, baseUrl, builder.mailServiceRequestTimeout, builder.retryPause)));
    }

    private ServiceEndpoint endpoint(String dependency, BaseUrl baseUrl, Duration requestTimeout, Duration retryPause) {
        // A derived client shares the connection pool and dispatcher, so closing this one closes all.
        OkHttpClient timed = client.newBuilder()
                .callTimeout(requestTimeout)
                .connectTimeout(requestTimeout)
                .readTimeout(requestTimeout)
                .writeTimeout(requestTimeout)
                .build();
        return new ServiceEndpoint(dependency, baseUrl, timed, retryPause, closed::get, tracing);
    }

    /** A builder with no service configured yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** The user directory, present when {@link Builder#userServiceBaseUrl(URI)} was set. */
    public Optional<UserDirectory> userDirectory() {
        return userDirectory;
    }

    /** The mail sender, present when {@link Builder#mailServiceBaseUrl(URI)} was set. */
    public Optional<MailSender> mailSender() {
        return mailSender;
    }

    /**
     * Releases the connections and threads; later calls of either client fail without a request. Calls still
     * running are cancelled, so that a shutdown never waits on a slow service. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        client.dispatcher().cancelAll();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    /**
     * Builds {@link RestClients}; setters reject invalid values at once with an {@link InvalidSettingException} naming
     * the setter ({@code userServiceBaseUrl}, {@code mailServiceRequestTimeout}, ...), {@link #build()} names what is
     * missing.
     */
    public static final class Builder {
        private BaseUrl userServiceBaseUrl;
        private Duration userServiceRequestTimeout;
        private BaseUrl mailServiceBaseUrl;
        private Duration mailServiceRequestTimeout;
        private Duration retryPause = DEFAULT_RETRY_PAUSE;
        private OpenTelemetry openTelemetry;

        private Builder() {}

        /**
         * Where each attempt's client span and {@code http.client.request.duration} go; the trace context is sent
         * along ({@code traceparent}). Without it, nothing is recorded or sent.
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /**
         * The user service's base URL ({@code AUTHSESSION_USER_SERVICE_BASE_URL}): http or https, no query or
         * fragment; a path prefix such as {@code https://host/users-svc/} is kept, with or without the trailing
         * slash.
         */
        public Builder userServiceBaseUrl(URI baseUrl) {
            this.userServiceBaseUrl = BaseUrl.of("userServiceBaseUrl", baseUrl);
            return this;
        }

        /** The bound of each attempt of a user service call, connect to last byte. */
        public Builder userServiceRequestTimeout(Duration timeout) {
            this.userServiceRequestTimeout = requestTimeout(timeout, "userServiceRequestTimeout");
            return this;
        }

        /** The mail service's base URL ({@code AUTHSESSION_MAIL_SERVICE_BASE_URL}), with the same rules. */
        public Builder mailServiceBaseUrl(URI baseUrl) {
            this.mailServiceBaseUrl = BaseUrl.of("mailServiceBaseUrl", baseUrl);
            return this;
        }

        /** The bound of a mail service call, connect to last byte. */
        public Builder mailServiceRequestTimeout(Duration timeout) {
            this.mailServiceRequestTimeout = requestTimeout(timeout, "mailServiceRequestTimeout");
            return this;
        }

        /** The pause before a read's single retry; default {@code 100ms}, zero allowed, at most {@code 1m}. */
        public Builder retryPause(Duration pause) {
            Objects.requireNonNull(pause, "retryPause");
            if (pause.isNegative()) {
                throw new InvalidSettingException("retryPause", "must not be negative");
            }
            if (pause.compareTo(MAX_RETRY_PAUSE) > 0) {
                throw new InvalidSettingException("retryPause", "must be at most 1m");
            }
            this.retryPause = pause;
            return this;
        }

        /**
         * Builds the clients of every service whose base URL is set.
         *
         * @throws IllegalStateException when no service is set, or naming the half of a service's settings that is
         *     missing
         */
        public RestClients build() {
            List<String> problems = new ArrayList<>();
            pairing(problems, userServiceBaseUrl, "userServiceBaseUrl", userServiceRequestTimeout,
                    "userServiceRequestTimeout");
            pairing(problems, mailServiceBaseUrl, "mailServiceBaseUrl", mailServiceRequestTimeout,
                    "mailServiceRequestTimeout");
            if (!problems.isEmpty()) {
                throw new IllegalStateException("RestClients.builder(): " + String.join("; ", problems));
            }
            if (userServiceBaseUrl == null && mailServiceBaseUrl == null) {
                throw new IllegalStateException(
                        "RestClients.builder() needs userServiceBaseUrl or mailServiceBaseUrl (or both)");
            }
            return new RestClients(this);
        }

        private static void pairing(List<String> problems, BaseUrl baseUrl, String baseUrlName, Duration timeout,
                String timeoutName) {
            if (baseUrl != null && timeout == null) {
                problems.add(timeoutName + " is required when " + baseUrlName + " is set");
            }
            if (baseUrl == null && timeout != null) {
                problems.add(baseUrlName + " is required when " + timeoutName + " is set");
            }
        }

        private static Duration requestTimeout(Duration timeout, String name) {
            Objects.requireNonNull(timeout, name);
            // OkHttp counts whole milliseconds, and 0 would mean no timeout at all.
            if (timeout.compareTo(Duration.ofMillis(1)) < 0) {
                throw new InvalidSettingException(name, "must be at least 1ms");
            }
            if (timeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
                throw new InvalidSettingException(name, "must be at most 24h");
            }
            return timeout;
        }
    }
}
