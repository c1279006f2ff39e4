package io.authsession.core;

import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.ChallengeStatus;
import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RevokeReasons;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.CodeCheck;
import io.authsession.core.port.ConfigProvider;
import io.authsession.core.port.ConfirmOutcome;
import io.authsession.core.port.EnsuredUser;
import io.authsession.core.port.SessionCreation;
import io.authsession.core.port.SessionStore;
import io.authsession.core.port.UserDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** CONTRACT §2.2: the checks of the confirm table in order, then session creation and projection. */
final class ConfirmEmailCode {
    private final ServiceClock clock;
    private final ConfigProvider config;
    private final ChallengeStore challenges;
    private final UserDirectory users;
    private final SessionStore sessions;
    private final Projector projector;
    private final LoginCodes codes;
    private final Telemetry telemetry;
    private final Duration confirmIdempotencyWindow;
    private final Duration revokedSessionRetention;

    ConfirmEmailCode(ServiceClock clock, ConfigProvider config, ChallengeStore challenges, UserDirectory users,
            SessionStore sessions, Projector projector, LoginCodes codes, Telemetry telemetry,
            Duration confirmIdempotencyWindow, Duration revokedSessionRetention) {
        this.clock = clock;
        this.config = config;
        this.challenges = challenges;
        this.users = users;
        this.sessions = sessions;
        this.projector = projector;
        this.codes = codes;
        this.telemetry = telemetry;
        this.confirmIdempotencyWindow = confirmIdempotencyWindow;
        this.revokedSessionRetention = revokedSessionRetention;
    }

    ConfirmedLogin confirm(ConfirmRequest request) {
        try {
            SessionCreation creation = run(request);
            telemetry.confirmed(creation.created() ? "confirmed" : "replayed");
            return new ConfirmedLogin(creation.session().id(), creation.session().userId());
        } catch (AuthSessionException e) {
            telemetry.confirmed(e.code().wireName());
            throw e;
        }
    }

    private SessionCreation run(ConfirmRequest request) {
        RuntimeSettings settings = config.current();
        int maxAttempts = settings.challengeMaxAttempts();
        AddressBudget budget = AddressBudget.of(settings);
        Instant now = clock.now();
        String challengeId = request.challengeId();

        CodeCheck check = challenges.check(challengeId, codes.typed(challengeId, request.code()), maxAttempts, budget);
        check.lockedNow().ifPresent(telemetry::addressLocked);
        Challenge challenge = switch (check.kind()) {
            case MATCHED -> check.challenge().orElseThrow();
            case INVALID_CODE -> throw new AuthSessionException(ErrorCode.INVALID_CODE, "the code does not match");
            case TOO_MANY_ATTEMPTS, ADDRESS_LOCKED -> throw tooManyAttempts();
            case EXPIRED -> throw expired();
            case NOT_FOUND -> throw notFound();
        };
        if (challenge.status() == ChallengeStatus.CONFIRMED_PENDING_EXPIRE) {
            return createAndProject(challenge.confirmation().orElseThrow(), request, settings, now);
        }

        // A matched challenge has a code, so it was sent, so it keeps its address.
        EnsuredUser user = users.ensureByEmail(challenge.email().orElseThrow());
        if (user.blocked()) {
            throw new AuthSessionException(ErrorCode.USER_BLOCKED, "the user is blocked");
        }
        Challenge.Confirmation candidate = new Challenge.Confirmation(
                sessions.newSessionId(user.userId()), user.userId());
        ConfirmOutcome outcome = challenges.confirm(
                challengeId, candidate, maxAttempts, budget, now.plus(confirmIdempotencyWindow));
        return switch (outcome.kind()) {
            case CONFIRMED -> createAndProject(candidate, request, settings, now);
            // A concurrent confirm of the same challenge won: answer with its session, like a replay.
            case ALREADY_CONFIRMED -> createAndProject(outcome.confirmation().orElseThrow(), request, settings, now);
            case EXPIRED -> throw expired();
            case TOO_MANY_ATTEMPTS, ADDRESS_LOCKED -> throw tooManyAttempts();
            case NOT_FOUND -> throw notFound();
        };
    }

    /**
     * Creates the confirmed session unless it exists (a replay finds it, and never turns a revoked one active), then
     * publishes it with the sessions the store says to (re)publish: those this creation revoked for the session
     * limit, or on a replay every revoked session of the user. Publishing again is what repairs a projection that
     * failed before; stale revisions change nothing.
     */
    private SessionCreation createAndProject(Challenge.Confirmation confirmation, ConfirmRequest request,
            RuntimeSettings settings, Instant now) {
        DeviceSession candidate = DeviceSession.active(confirmation.deviceSessionId(), confirmation.userId(), now,
                settings, request.deviceName(), request.clientPublicKey());
        SessionCreation creation = sessions.create(
                candidate, settings.maxActiveSessionsPerUser(), revokedSessionRetention);
        telemetry.sessionsLost(confirmation.userId(), creation.lostRecords());
        if (creation.created()) {
            creation.revoked().forEach(limited -> telemetry.revoked(RevokeReasons.SESSION_LIMIT, limited));
        }
        List<DeviceSession> toPublish = new ArrayList<>(creation.revoked());
        toPublish.add(creation.session());
        projector.publish(toPublish);
        return creation;
    }

    private static AuthSessionException notFound() {
        return new AuthSessionException(ErrorCode.CHALLENGE_NOT_FOUND, "no such challenge");
    }

    private static AuthSessionException expired() {
        return new AuthSessionException(ErrorCode.CHALLENGE_EXPIRED, "the code has expired; ask for a new one");
    }

    private static AuthSessionException tooManyAttempts() {
        return new AuthSessionException(ErrorCode.TOO_MANY_ATTEMPTS, "too many wrong codes; ask for a new one");
    }
}
