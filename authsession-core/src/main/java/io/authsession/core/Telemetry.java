package io.authsession.core;

import io.authsession.core.domain.DeliveryState;
import io.authsession.core.domain.RevokeReasons;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.function.Supplier;

/** Spans and counters of the use cases, through the OpenTelemetry API (a no-op unless the host wires an SDK). */
final class Telemetry {
    static final String INSTRUMENTATION_SCOPE = "io.authsession.core";
    static final AttributeKey<String> DELIVERY = AttributeKey.stringKey("delivery");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
    static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("authsession.error_code");
    

    private final Tracer tracer;
    private final LongCounter challenges;
    private final LongCounter confirms;
    private final LongCounter revocations;
    private final LongCounter projectionFailures;

    Telemetry(OpenTelemetry openTelemetry) {
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
    }

    /** Runs a use case in a span named {@code authsession.<useCase>}. */
    <T> T inSpan(String useCase, Supplier<T> work) {
        Span span = tracer.spanBuilder("authsession." + useCase).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (AuthSessionException e) {
            span.setAttribute(ERROR_CODE, e.code().wireName());
            if (e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
                span.setStatus(StatusCode.ERROR, e.getMessage());
            }
            throw e;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    void challengeCreated(DeliveryState delivery) {
        challenges.add(1, Attributes.of(DELIVERY, delivery.wireName()));
    }

    void confirmed(String outcome) {
        confirms.add(1, Attributes.of(OUTCOME, outcome));
    }

    void revoked(String reason, long count) {
        if (count > 0) {
            revocations.add(count, Attributes.of(REASON, RevokeReasons.OF_THE_SERVICE.contains(reason) ? reason : "custom"));
        }
    }

    void projectionFailed() {
        projectionFailures.add(1);
    }
}
