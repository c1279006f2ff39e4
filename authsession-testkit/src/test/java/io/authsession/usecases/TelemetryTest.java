package io.authsession.usecases;

import static io.authsession.usecases.Errors.outcomeOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.testkit.AuthSessionFixture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The spans and counters documented in docs/telemetry.md. */
class TelemetryTest {
    private static final String EMAIL = "user@example.com";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();
    private final AuthSessionFixture f = AuthSessionFixture.create(builder -> builder.openTelemetry(sdk));

    @AfterEach
    void close() {
        sdk.close();
    }

    private long count(String metric, String attribute, String value) {
        return metrics.collectAllMetrics().stream()
                .filter(m -> m.getName().equals(metric))
                .map(MetricData::getLongSumData)
                .flatMap(sum -> sum.getPoints().stream())
                .filter(point -> attribute == null
                        || value.equals(point.getAttributes().get(AttributeKey.stringKey(attribute))))
                .mapToLong(LongPointData::getValue)
                .sum();
    }

    @Test
    @DisplayName("challenges are counted by delivery state")
    void challenges() {
        f.auth().sendEmailCode(EMAIL);
        f.auth().sendEmailCode(EMAIL);
        f.users().registerBlocked("blocked@example.com");
        f.auth().sendEmailCode("blocked@example.com");
        f.mail().failNextCalls(1);
        outcomeOf(() -> f.auth().sendEmailCode("other@example.com"));

        assertThat(count("authsession.challenges", "delivery", "sent")).isEqualTo(1);
        assertThat(count("authsession.challenges", "delivery", "delivery_throttled")).isEqualTo(1);
        assertThat(count("authsession.challenges", "delivery", "delivery_suppressed")).isEqualTo(1);
        assertThat(count("authsession.challenges", "delivery", "delivery_failed")).isEqualTo(1);
    }

    @Test
    @DisplayName("each use case records its duration, with error.type on failure and none on success")
    void useCaseDurations() {
        String id = f.auth().sendEmailCode(EMAIL);
        outcomeOf(() -> f.auth().confirmEmailCode(ConfirmRequest.of(id, f.lastCodeFor(EMAIL).equals("000000")
                ? "000001" : "000000")));
        f.auth().listSessions("nobody", Optional.empty());

        java.util.List<io.opentelemetry.sdk.metrics.data.HistogramPointData> points = metrics.collectAllMetrics()
                .stream().filter(m -> m.getName().equals("authsession.use_case.duration"))
                .peek(m -> assertThat(m.getUnit()).isEqualTo("s"))
                .flatMap(m -> m.getHistogramData().getPoints().stream()).toList();
        AttributeKey<String> useCase = AttributeKey.stringKey("authsession.use_case");
        AttributeKey<String> errorType = AttributeKey.stringKey("error.type");
        assertThat(points).anySatisfy(p -> {
            assertThat(p.getAttributes().get(useCase)).isEqualTo("send_email_code");
            assertThat(p.getAttributes().get(errorType)).isNull();
        }).anySatisfy(p -> {
            assertThat(p.getAttributes().get(useCase)).isEqualTo("confirm_email_code");
            assertThat(p.getAttributes().get(errorType)).isEqualTo("invalid_code");
        }).anySatisfy(p -> assertThat(p.getAttributes().get(useCase)).isEqualTo("list_sessions"))
                .allSatisfy(p -> assertThat(p.getCount()).isEqualTo(1));
    }

    @Test
    @DisplayName("confirms are counted by outcome")
    void confirms() {
        String id = f.auth().sendEmailCode(EMAIL);
        String code = f.lastCodeFor(EMAIL);
        outcomeOf(() -> f.auth().confirmEmailCode(ConfirmRequest.of(id, code.equals("000000") ? "000001" : "000000")));
        f.auth().confirmEmailCode(ConfirmRequest.of(id, code));
        f.auth().confirmEmailCode(ConfirmRequest.of(id, code));
        outcomeOf(() -> f.auth().confirmEmailCode(ConfirmRequest.of("missing", code)));

        assertThat(count("authsession.confirms", "outcome", "invalid_code")).isEqualTo(1);
        assertThat(count("authsession.confirms", "outcome", "confirmed")).isEqualTo(1);
        assertThat(count("authsession.confirms", "outcome", "replayed")).isEqualTo(1);
        assertThat(count("authsession.confirms", "outcome", "challenge_not_found")).isEqualTo(1);
    }

    @Test
    @DisplayName("revocations are counted by reason, caller-chosen reasons as custom; projection failures are counted")
    void revocations() {
        f.config().set(Setting.RESEND_COOLDOWN, "0").set(Setting.MAX_ACTIVE_SESSIONS_PER_USER, "1");
        ConfirmedLogin first = f.login(EMAIL);
        ConfirmedLogin second = f.login(EMAIL);
        f.auth().revokeSession(second.deviceSessionId(), Optional.of("stolen phone"));
        f.auth().revokeSession(second.deviceSessionId(), Optional.of("stolen phone"));
        f.projection().failNextCalls(1);
        outcomeOf(() -> f.auth().blockUser(first.userId(), Optional.empty()));

        assertThat(count("authsession.revocations", "reason", "session_limit")).isEqualTo(1);
        assertThat(count("authsession.revocations", "reason", "custom")).isEqualTo(1);
        assertThat(count("authsession.projection.failures", null, null)).isEqualTo(1);
    }

    @Test
    @DisplayName("each use case runs in its own span; failures carry the error code, and no span carries the address")
    void spans() {
        String id = f.auth().sendEmailCode(EMAIL);
        outcomeOf(() -> f.auth().confirmEmailCode(ConfirmRequest.of(id, "999999".equals(f.lastCodeFor(EMAIL)) ? "111111" : "999999")));
        f.auth().listSessions("user-1", Optional.empty());

        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly(
                "authsession.send_email_code", "authsession.confirm_email_code", "authsession.list_sessions");
        SpanData confirm = spans.getFinishedSpanItems().get(1);
        assertThat(confirm.getAttributes().get(AttributeKey.stringKey("authsession.error_code"))).isEqualTo("invalid_code");
        assertThat(spans.getFinishedSpanItems()).allSatisfy(span ->
                assertThat(span.getAttributes().asMap().values()).noneMatch(v -> v.toString().contains("@")));
    }

    @Test
    @DisplayName("a lock is counted once, lost records are counted, and a revoked session's age is recorded by reason")
    void budgetLostAndDuration() {
        f.config().set(Setting.RESEND_COOLDOWN, "0").set(Setting.ADDRESS_MAX_FAILED_ATTEMPTS, "2");
        String id = f.auth().sendEmailCode(EMAIL);
        String wrong = f.lastCodeFor(EMAIL).equals("000000") ? "000001" : "000000";
        for (int i = 0; i < 4; i++) {
            outcomeOf(() -> f.auth().confirmEmailCode(ConfirmRequest.of(id, wrong)));
        }
        assertThat(count("authsession.addresses.locked", null, null)).isEqualTo(1);

        f.config().set(Setting.ADDRESS_MAX_FAILED_ATTEMPTS, "0");
        ConfirmedLogin kept = f.login("other@example.com");
        ConfirmedLogin lost = f.login("other@example.com");
        f.sessions().loseRecord(lost.deviceSessionId());
        f.auth().listSessions(kept.userId(), Optional.empty());
        assertThat(count("authsession.sessions.lost", null, null)).isEqualTo(1);

        f.clock().advance(java.time.Duration.ofMinutes(90));
        f.auth().revokeSession(kept.deviceSessionId(), Optional.of("logout"));
        io.opentelemetry.sdk.metrics.data.HistogramPointData duration = metrics.collectAllMetrics().stream()
                .filter(m -> m.getName().equals("authsession.session.duration"))
                .flatMap(m -> m.getHistogramData().getPoints().stream())
                .findFirst().orElseThrow();
        assertThat(duration.getSum()).isEqualTo(5400.0);
        assertThat(duration.getAttributes().get(AttributeKey.stringKey("reason"))).isEqualTo("custom");
    }
}
