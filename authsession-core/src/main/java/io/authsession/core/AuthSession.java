package io.authsession.core;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RevokeReasons;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.ConfigProvider;
import io.authsession.core.port.MailSender;
import io.authsession.core.port.ProjectionPublisher;
import io.authsession.core.port.ResendThrottle;
import io.authsession.core.port.SessionStore;
import io.authsession.core.port.UserDirectory;
import io.opentelemetry.api.OpenTelemetry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The authsession use cases: e-mail code login with device sessions, and their administration.
 *
 * <p>Thread-safe. Every method throws {@link AuthSessionException} carrying the contract's error code for an
 * expected failure, and {@link io.authsession.core.error.DependencyUnavailableException} when a dependency failed.
 *
 * <pre>{@code
 * AuthSession auth = AuthSession.builder()
 *         .challengeStore(challenges).sessionStore(sessions).userDirectory(users).mailSender(mail)
 *         .projectionPublisher(projection).resendThrottle(throttle).configProvider(config)
 *         .codeHashKey(CodeHashKey.fromBase64(base64KeyFromYourSecretStore))
 *         .build();
 * String challengeId = auth.sendEmailCode("user@example.com");
 * ConfirmedLogin login = auth.confirmEmailCode(ConfirmRequest.of(challengeId, "042917"));
 * }</pre>
 */
public final class AuthSession {
    /** The reason recorded when a revocation names none. */
    public static final String DEFAULT_REVOKE_REASON = RevokeReasons.UNSPECIFIED;
    static final int MAX_REASON_LENGTH = 256;
    static final int MAX_IDENTIFIER_LENGTH = 128;

    private final Telemetry telemetry;
    private final SendEmailCode send;
    private final ConfirmEmailCode confirm;
    private final SessionAdministration administration;

    private AuthSession(Telemetry telemetry, SendEmailCode send, ConfirmEmailCode confirm,
            SessionAdministration administration) {
        this.telemetry = telemetry;
        this.send = send;
        this.confirm = confirm;
        this.administration = administration;
    }

    /** A builder; every port and the code hash key are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends a login code to the address, unless throttled or the user is blocked; the answer is the same in every
     * case so that a caller cannot tell them apart.
     *
     * @return the new challenge id
     */
    public String sendEmailCode(String email) {
        return telemetry.inSpan("send_email_code", () -> send.send(email));
    }

    /**
     * Like {@link #sendEmailCode}, answering at the builder's {@linkplain Builder#sendAnswerTime send answer time}
     * whatever happened, so that the time of the answer tells a caller nothing either: the returned future completes
     * then with the challenge id, or earlier with the failure when delivery fails before it. The store steps run on
     * the calling thread, the user lookup and the mail on the builder's delivery executor; nothing waits on the
     * calling thread. Without an answer time, it sends inline and returns a completed future.
     *
     * @throws AuthSessionException at once, for an invalid address or when the store steps fail
     */
    public CompletableFuture<String> sendEmailCodeAsync(String email) {
        long started = System.nanoTime();
        return telemetry.inSpanUntil("send_email_code", () -> send.sendTimed(email, started));
    }

    /** Confirms a login code and creates (or, on a replay, returns) the device session. */
    public ConfirmedLogin confirmEmailCode(ConfirmRequest request) {
        Objects.requireNonNull(request, "request");
        return telemetry.inSpan("confirm_email_code", () -> confirm.confirm(request));
    }

    /** The user's sessions, newest first; empty for an unknown user. */
    public List<DeviceSession> listSessions(String userId, Optional<SessionStatus> status) {
        checkIdentifier("user_id", userId);
        Objects.requireNonNull(status, "status");
        return telemetry.inSpan("list_sessions", () -> administration.list(userId, status));
    }

    /** The session, if it exists. */
    public Optional<DeviceSession> findSession(String deviceSessionId) {
        checkIdentifier("device_session_id", deviceSessionId);
        return telemetry.inSpan("get_session", () -> administration.find(deviceSessionId));
    }

    /**
     * Revokes a session and projects it; revoking a revoked session changes nothing but projects it again.
     *
     * @param reason defaults to {@value #DEFAULT_REVOKE_REASON}
     * @return the session as stored after the call
     */
    public DeviceSession revokeSession(String deviceSessionId, Optional<String> reason) {
        checkIdentifier("device_session_id", deviceSessionId);
        String why = checkReason(reason);
        return telemetry.inSpan("revoke_session", () -> administration.revoke(deviceSessionId, why));
    }

    /**
     * Extends an active session for its idle timeout (CONTRACT §3.1): its expiry moves to
     * {@code min(now + session_idle_timeout, its lifetime cap)}, one revision later, and is projected. A move of less
     * than a minute (or none, with the idle timeout off) changes and publishes nothing, so a gateway may call this on
     * every request.
     *
     * @return the session as stored after the call
     * @throws AuthSessionException {@code session_not_found}, or {@code session_inactive} when it is revoked or
     *     expired
     */
    public DeviceSession extendSession(String deviceSessionId) {
        checkIdentifier("device_session_id", deviceSessionId);
        return telemetry.inSpan("extend_session", () -> administration.extend(deviceSessionId));
    }

    /**
     * Revokes every active session of the user.
     *
     * @return how many sessions this call revoked
     */
    public int revokeAllSessions(String userId, Optional<String> reason) {
        checkIdentifier("user_id", userId);
        String why = checkReason(reason);
        return telemetry.inSpan("revoke_all_sessions", () -> administration.revokeAll(userId, why));
    }

    /**
     * Blocks the user in the user service, then revokes every active session with reason {@code user_blocked}.
     *
     * @param reason passed to the user service
     * @return how many sessions this call revoked
     */
    public int blockUser(String userId, Optional<String> reason) {
        checkIdentifier("user_id", userId);
        String why = checkReason(reason);
        return telemetry.inSpan("block_user", () -> administration.block(userId, why));
    }

    private static void checkIdentifier(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw AuthSessionException.invalidRequest(field, "is required");
        }
        if (value.length() > MAX_IDENTIFIER_LENGTH) {
            throw AuthSessionException.invalidRequest(field, "must be at most " + MAX_IDENTIFIER_LENGTH + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw AuthSessionException.invalidRequest(field, "must not contain control characters");
        }
    }

    private static String checkReason(Optional<String> reason) {
        Objects.requireNonNull(reason, "reason");
        if (reason.isEmpty()) {
            return DEFAULT_REVOKE_REASON;
        }
        String why = reason.get();
        if (why.isEmpty()) {
            throw AuthSessionException.invalidRequest("reason", "must not be empty (leave it out for the default)");
        }
        if (why.length() > MAX_REASON_LENGTH) {
            throw AuthSessionException.invalidRequest("reason", "must be at most " + MAX_REASON_LENGTH + " characters");
        }
        if (why.chars().anyMatch(Character::isISOControl)) {
            throw AuthSessionException.invalidRequest("reason", "must not contain control characters");
        }
        return why;
    }

    /** Builds an {@link AuthSession}; {@link #build()} fails naming every missing port. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private SecureRandom random;
        private ChallengeStore challengeStore;
        private SessionStore sessionStore;
        private UserDirectory userDirectory;
        private MailSender mailSender;
        private ProjectionPublisher projectionPublisher;
        private ResendThrottle resendThrottle;
        private ConfigProvider configProvider;
        private CodeHashKey codeHashKey;
        private CodeHashKey previousCodeHashKey;
        private Duration challengeExpiredRetention = Duration.ofHours(1);
        private Duration confirmIdempotencyWindow = Duration.ofMinutes(5);
        private Duration revokedSessionRetention = Duration.ofHours(720);
        private OpenTelemetry openTelemetry = OpenTelemetry.noop();
        private SendTiming sendTiming;

        private Builder() {}

        public Builder challengeStore(ChallengeStore challengeStore) {
            this.challengeStore = Objects.requireNonNull(challengeStore, "challengeStore");
            return this;
        }

        public Builder sessionStore(SessionStore sessionStore) {
            this.sessionStore = Objects.requireNonNull(sessionStore, "sessionStore");
            return this;
        }

        public Builder userDirectory(UserDirectory userDirectory) {
            this.userDirectory = Objects.requireNonNull(userDirectory, "userDirectory");
            return this;
        }

        public Builder mailSender(MailSender mailSender) {
            this.mailSender = Objects.requireNonNull(mailSender, "mailSender");
            return this;
        }

        public Builder projectionPublisher(ProjectionPublisher projectionPublisher) {
            this.projectionPublisher = Objects.requireNonNull(projectionPublisher, "projectionPublisher");
            return this;
        }

        public Builder resendThrottle(ResendThrottle resendThrottle) {
            this.resendThrottle = Objects.requireNonNull(resendThrottle, "resendThrottle");
            return this;
        }

        public Builder configProvider(ConfigProvider configProvider) {
            this.configProvider = Objects.requireNonNull(configProvider, "configProvider");
            return this;
        }

        /** The key codes are hashed with (required). */
        public Builder codeHashKey(CodeHashKey codeHashKey) {
            this.codeHashKey = Objects.requireNonNull(codeHashKey, "codeHashKey");
            return this;
        }

        /** The key before the last rotation; codes hashed with it are still accepted. */
        public Builder previousCodeHashKey(CodeHashKey previousCodeHashKey) {
            this.previousCodeHashKey = Objects.requireNonNull(previousCodeHashKey, "previousCodeHashKey");
            return this;
        }

        /** The clock every instant comes from; defaults to the UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The source of login codes; defaults to a new {@link SecureRandom}. Ids are minted by the stores. */
        public Builder secureRandom(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** How long an expired, unconfirmed challenge keeps answering {@code challenge_expired}; default {@code 1h}. */
        public Builder challengeExpiredRetention(Duration retention) {
            this.challengeExpiredRetention = positive(retention, "challengeExpiredRetention");
            return this;
        }

        /** How long a confirmed challenge answers replays; default {@code 5m}. */
        public Builder confirmIdempotencyWindow(Duration window) {
            this.confirmIdempotencyWindow = positive(window, "confirmIdempotencyWindow");
            return this;
        }

        /** How long revoked sessions stay readable; default {@code 720h}. */
        public Builder revokedSessionRetention(Duration retention) {
            this.revokedSessionRetention = positive(retention, "revokedSessionRetention");
            return this;
        }

        /**
         * Times {@link AuthSession#sendEmailCodeAsync}: every send answers {@code answerTime} after it started, so that
         * a caller cannot tell an existing address from a blocked, throttled or locked one by the time of the answer.
         * The user lookup and the mail run on {@code deliveryExecutor} (which should allow as many concurrent
         * deliveries as the expected sends per second times the services' latency); the answers are scheduled on
         * {@code scheduler}. The host owns both and shuts them down.
         */
        public Builder sendAnswerTime(Duration answerTime, ScheduledExecutorService scheduler,
                Executor deliveryExecutor) {
            this.sendTiming = new SendTiming(positive(answerTime, "answerTime"),
                    Objects.requireNonNull(scheduler, "scheduler"),
                    Objects.requireNonNull(deliveryExecutor, "deliveryExecutor"));
            return this;
        }

        /** Where spans and metrics go; defaults to {@link OpenTelemetry#noop()}. */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /**
         * Builds the facade.
         *
         * @throws IllegalStateException naming every missing port, or when the retention is shorter than the
         *     idempotency window (a replay could then recreate a revoked session that was already purged)
         */
        public AuthSession build() {
            List<String> missing = new ArrayList<>();
            if (challengeStore == null) missing.add("challengeStore");
            if (sessionStore == null) missing.add("sessionStore");
            if (userDirectory == null) missing.add("userDirectory");
            if (mailSender == null) missing.add("mailSender");
            if (projectionPublisher == null) missing.add("projectionPublisher");
            if (resendThrottle == null) missing.add("resendThrottle");
            if (configProvider == null) missing.add("configProvider");
            if (codeHashKey == null) missing.add("codeHashKey");
            if (!missing.isEmpty()) {
                throw new IllegalStateException("AuthSession.builder() is missing " + String.join(", ", missing));
            }
            if (revokedSessionRetention.compareTo(confirmIdempotencyWindow) <= 0) {
                throw new IllegalStateException("revokedSessionRetention (" + revokedSessionRetention
                        + ") must be longer than confirmIdempotencyWindow (" + confirmIdempotencyWindow + ")");
            }
            SecureRandom secureRandom = random != null ? random : new SecureRandom();
            Telemetry telemetry = new Telemetry(openTelemetry, clock);
            ServiceClock serviceClock = new ServiceClock(clock);
            LoginCodes codes = new LoginCodes(codeHashKey, Optional.ofNullable(previousCodeHashKey), secureRandom);
            Projector projector = new Projector(projectionPublisher, revokedSessionRetention, telemetry, codeHashKey);
            return new AuthSession(telemetry,
                    new SendEmailCode(serviceClock, configProvider, resendThrottle, userDirectory, challengeStore,
                            mailSender, codes, codeHashKey, telemetry, challengeExpiredRetention,
                            Optional.ofNullable(sendTiming)),
                    new ConfirmEmailCode(serviceClock, configProvider, challengeStore, userDirectory, sessionStore,
                            projector, codes, telemetry, confirmIdempotencyWindow, revokedSessionRetention),
                    new SessionAdministration(serviceClock, configProvider, sessionStore, userDirectory, projector,
                            telemetry, revokedSessionRetention));
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }
    }
}
