package io.authsession.core;

import io.authsession.core.domain.AddressKey;
import io.authsession.core.domain.DeliveryState;
import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RevokeReasons;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Spans, counters and duration histograms of the use cases, through the OpenTelemetry API (a no-op unless the host
 * wires an SDK). A use-case span is a child of whatever span is current (the server's HTTP span), and the spans of
 * the adapters (Redis commands, outbound HTTP calls) are its children in turn.
 */
final class Telemetry {
    private static final System.Logger LOG = System.getLogger(Telemetry.class.getName());
    static final String INSTRUMENTATION_SCOPE = "io.authsession.core";
    static final AttributeKey<String> DELIVERY = AttributeKey.stringKey("delivery");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
    static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("authsession.error_code");
    static final AttributeKey<String> USE_CASE = AttributeKey.stringKey("authsession.use_case");
    /** OpenTelemetry's semantic convention for why an operation failed; absent on success. */
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    /** Bucket bounds in seconds: the semantic conventions' HTTP bounds, with finer ones below 5 ms, where we live. */
    static final java.util.List<Double> DURATION_BUCKETS = java.util.List.of(0.0005, 0.001, 0.0025, 0.005, 0.01,
            0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    private final Tracer tracer;
    private final LongCounter challenges;
    private final LongCounter confirms;
    private final LongCounter revocations;
    private final LongCounter projectionFailures;
    private final LongCounter sessionsLost;
    private final LongCounter addressesLocked;
    private final DoubleHistogram sessionDuration;
    private final DoubleHistogram useCaseDuration;
    private final Clock clock;

    Telemetry(OpenTelemetry openTelemetry, Clock clock) {
        this.clock = clock;
        tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
        Meter meter = openTelemetry.getMeter(INSTRUMENTATION_SCOPE);
        challenges = meter.counterBuilder("authsession.challenges")
                .setDescription("Login challenges created, by delivery state").setUnit("{challenge}").build();
        confirms = meter.counterBuilder("authsession.confirms")
                .setDescription("Confirm attempts, by outcome").setUnit("{confirm}").build();
        revocations = meter.counterBuilder("authsession.revocations")
                .setDescription("Device sessions revoked, by reason").setUnit("{session}").build();
        projectionFailures = meter.counterBuilder("authsession.projection.failures")
                .setDescription("Gateway projection publications that failed").setUnit("{publication}").build();
        sessionsLost = meter.counterBuilder("authsession.sessions.lost")
                .setDescription("Sessions whose record was gone before its purge time (evicted or deleted)")
                .setUnit("{session}").build();
        addressesLocked = meter.counterBuilder("authsession.addresses.locked")
                .setDescription("Addresses that spent their failed-guess budget").setUnit("{address}").build();
        sessionDuration = meter.histogramBuilder("authsession.session.duration")
                .setDescription("Age of a device session when it is revoked, by reason").setUnit("s").build();
        useCaseDuration = meter.histogramBuilder("authsession.use_case.duration")
                .setDescription("Duration of a use case, by use case and error type (absent on success)")
                .setUnit("s").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    }

    /** Runs a use case in a span named {@code authsession.<useCase>}. */
    <T> T inSpan(String useCase, Supplier<T> work) {
        long started = System.nanoTime();
        Span span = tracer.spanBuilder("authsession." + useCase).startSpan();
        Throwable failure = null;
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            failure = e;
            record(span, e);
            throw e;
        } finally {
            span.end();
            recordDuration(useCase, started, failure);
        }
    }

    /** Runs the start of a use case in a span that ends when its answer completes. */
    <T> CompletableFuture<T> inSpanUntil(String useCase, Supplier<CompletableFuture<T>> work) {
        long started = System.nanoTime();
        Span span = tracer.spanBuilder("authsession." + useCase).startSpan();
        CompletableFuture<T> answer;
        try (Scope ignored = span.makeCurrent()) {
            answer = work.get();
        } catch (RuntimeException e) {
            record(span, e);
            span.end();
            recordDuration(useCase, started, e);
            throw e;
        }
        return answer.whenComplete((value, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause != null) {
                record(span, cause);
            }
            span.end();
            recordDuration(useCase, started, cause);
        });
    }

    private void recordDuration(String useCase, long startedNanos, Throwable failure) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        useCaseDuration.record(seconds, failure == null ? Attributes.of(USE_CASE, useCase)
                : Attributes.of(USE_CASE, useCase, ERROR_TYPE, errorType(failure)));
    }

    /** The contract's error code, or {@code internal_error} for a bug: a small, fixed set of values. */
    private static String errorType(Throwable failure) {
        return failure instanceof AuthSessionException e ? e.code().wireName() : "internal_error";
    }

    private static void record(Span span, Throwable failure) {
        if (failure instanceof AuthSessionException e) {
            span.setAttribute(ERROR_CODE, e.code().wireName());
            if (e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
                span.setStatus(StatusCode.ERROR, e.getMessage());
            }
        } else {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
        }
    }

    /**
     * One send, counted by what happened to its delivery, and logged at debug: the one line that ties a
     * {@code challenge_id} to its delivery state (throttled and suppressed sends leave no other trace), without the
     * address.
     */
    void challengeCreated(String challengeId, DeliveryState delivery) {
        challenges.add(1, Attributes.of(DELIVERY, delivery.wireName()));
        LOG.log(Level.DEBUG, () -> "event=send_email_code challenge_id=" + challengeId + " delivery="
                + delivery.wireName());
    }

    void confirmed(String outcome) {
        confirms.add(1, Attributes.of(OUTCOME, outcome));
    }

    /** One session revoked by this call: counted, and its age recorded, under the reason. */
    void revoked(String reason, DeviceSession session) {
        Attributes attributes = Attributes.of(REASON, RevokeReasons.OF_THE_SERVICE.contains(reason) ? reason : "custom");
        revocations.add(1, attributes);
        Instant ended = session.revokedAt().orElseGet(clock::instant);
        sessionDuration.record(Duration.between(session.createdAt(), ended).toMillis() / 1000.0, attributes);
    }

    /** Index entries whose record vanished before its purge time: users logged out early, logged once per finding. */
    void sessionsLost(String userId, int count) {
        if (count > 0) {
            sessionsLost.add(count);
            LOG.log(Level.WARNING, () -> "event=session_records_lost count=" + count + " user_id=" + userId
                    + " warning=\"session records vanished before their purge time (evicted or deleted): those users"
                    + " were logged out early; see the runbook\"");
        }
    }

    /** An address spent its failed-guess budget: logged once per lock, by its keyed hash, never the address. */
    void addressLocked(AddressKey address) {
        addressesLocked.add(1);
        LOG.log(Level.WARNING, () -> "event=address_locked address_key=" + address.value());
    }

    void projectionFailed() {
        projectionFailures.add(1);
    }
}
