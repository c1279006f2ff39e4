package io.authsession.core;

import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.ChallengeStatus;
import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.DeviceSessionIds;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.AttemptOutcome;
import io.authsession.core.port.ConfirmOutcome;
import io.authsession.core.port.EnsuredUser;
import io.authsession.core.port.SessionCreation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** CONTRACT §2.2: the checks of the confirm table in order, then session creation and projection. */
final class ConfirmEmailCode {
    static final String SESSION_LIMIT = "session_limit";

    private final Wiring w;

    ConfirmEmailCode(Wiring wiring) {
        this.w = wiring;
    }

    ConfirmedLogin confirm(ConfirmRequest request) {
        try {
            Result result = run(request);
            w.telemetry().confirmed(result.replayed ? "replayed" : "confirmed");
            return result.login;
        } catch (AuthSessionException e) {
            w.telemetry().confirmed(e.code().wireName());
            throw e;
        }
    }

    private Result run(ConfirmRequest request) {
        RuntimeSettings settings = w.config().current();
        int maxAttempts = settings.challengeMaxAttempts();
        Instant now = w.now();
        String challengeId = request.challengeId();

        Challenge challenge = w.challenges().find(challengeId).orElseThrow(ConfirmEmailCode::notFound);
        if (challenge.isExpiredAt(now)) {
            throw expired();
        }
        if (challenge.failedAttempts() >= maxAttempts) {
            throw tooManyAttempts();
        }
        if (!w.codes().matches(challengeId, request.code(), challenge.codeHash())) {
            AttemptOutcome outcome = w.challenges().recordFailedAttempt(challengeId, maxAttempts);
            throw switch (outcome) {
                case COUNTED -> new AuthSessionException(ErrorCode.INVALID_CODE, "the code does not match");
                case TOO_MANY_ATTEMPTS -> tooManyAttempts();
                case EXPIRED -> expired();
                case NOT_FOUND -> notFound();
            };
        }
        if (challenge.status() == ChallengeStatus.CONFIRMED_PENDING_EXPIRE) {
            return createAndProject(challenge.confirmation().orElseThrow(), request, settings, now, true);
        }

        EnsuredUser user = w.users().ensureByEmail(challenge.email());
        if (user.blocked()) {
            throw new AuthSessionException(ErrorCode.USER_BLOCKED, "the user is blocked");
        }
        Challenge.Confirmation candidate = new Challenge.Confirmation(
                DeviceSessionIds.generate(user.userId(), w.random()), user.userId());
        ConfirmOutcome outcome = w.challenges().confirm(
                challengeId, candidate, maxAttempts, now.plus(w.confirmIdempotencyWindow()));
        return switch (outcome.kind()) {
            case CONFIRMED -> createAndProject(candidate, request, settings, now, false);
            // A concurrent confirm of the same challenge won: answer with its session, like a replay.
            case ALREADY_CONFIRMED -> createAndProject(outcome.confirmation().orElseThrow(), request, settings, now, true);
            case EXPIRED -> throw expired();
            case TOO_MANY_ATTEMPTS -> throw tooManyAttempts();
            case NOT_FOUND -> throw notFound();
        };
    }

    /**
     * Creates the confirmed session unless it exists (a replay finds it, and never turns a revoked one active),
     * then publishes the current snapshots. Publishing again is what repairs a projection that failed before.
     */
    private Result createAndProject(Challenge.Confirmation confirmation, ConfirmRequest request, RuntimeSettings settings,
            Instant now, boolean replayed) {
        DeviceSession candidate = DeviceSession.active(confirmation.deviceSessionId(), confirmation.userId(), now,
                request.deviceName(), request.clientPublicKey());
        SessionCreation creation = w.sessions().create(
                candidate, settings.maxActiveSessionsPerUser(), now.plus(w.revokedSessionRetention()));
        w.telemetry().revoked(SESSION_LIMIT, creation.revokedByLimit().size());

        List<DeviceSession> toPublish = new ArrayList<>(creation.revokedByLimit());
        if (!creation.created() && settings.maxActiveSessionsPerUser() > 0) {
            toPublish.addAll(limitRevocationsOf(creation.session()));
        }
        toPublish.add(creation.session());
        w.projector().publish(toPublish);
        return new Result(new ConfirmedLogin(confirmation.deviceSessionId(), confirmation.userId()), replayed);
    }

    /**
     * The sessions the creation of {@code session} revoked for the session limit: they were revoked at its
     * creation instant. Re-published on replay, because the first confirm may have failed to project them.
     */
    private List<DeviceSession> limitRevocationsOf(DeviceSession session) {
        return w.sessions().listByUser(session.userId(), Optional.of(SessionStatus.REVOKED)).stream()
                .filter(other -> other.revokeReason().filter(SESSION_LIMIT::equals).isPresent())
                .filter(other -> other.revokedAt().filter(session.createdAt()::equals).isPresent())
                .toList();
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

    private record Result(ConfirmedLogin login, boolean replayed) {}
}
