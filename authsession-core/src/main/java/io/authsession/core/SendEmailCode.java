package io.authsession.core;

import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.DeliveryState;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.ThrottlePermit;
import io.authsession.core.port.UserLookup;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Optional;

/** CONTRACT §2.1: throttle, look the user up, store the challenge, mail the code. */
final class SendEmailCode {
    private static final System.Logger LOG = System.getLogger(SendEmailCode.class.getName());

    private final Wiring w;

    SendEmailCode(Wiring wiring) {
        this.w = wiring;
    }

    String send(String rawEmail) {
        EmailAddress email = EmailAddress.parse(rawEmail);
        RuntimeSettings settings = w.config().current();
        Instant now = w.now();
        String challengeId = w.newChallengeId();
        Instant expiresAt = now.plus(settings.challengeTtl());
        Instant purgeAt = expiresAt.plus(w.challengeExpiredRetention());

        Optional<ThrottlePermit> permit = Optional.empty();
        if (!settings.resendCooldown().isZero()) {
            permit = w.throttle().tryAcquire(email, settings.resendCooldown());
            if (permit.isEmpty()) {
                return storeWithoutCode(challengeId, email, DeliveryState.THROTTLED, now, expiresAt, purgeAt);
            }
        }

        boolean stored = false;
        try {
            UserLookup lookup = w.users().resolveByEmail(email);
            if (lookup.status() == UserLookup.Status.BLOCKED) {
                return storeWithoutCode(challengeId, email, DeliveryState.SUPPRESSED, now, expiresAt, purgeAt);
            }
            String code = w.codes().newCode();
            w.challenges().create(
                    Challenge.sent(challengeId, email, w.codes().hash(challengeId, code), now, expiresAt), purgeAt);
            stored = true;
            w.mail().sendLoginCode(new LoginCodeMail(email, code, challengeId, expiresAt));
            w.telemetry().challengeCreated(DeliveryState.SENT);
            return challengeId;
        } catch (RuntimeException e) {
            if (stored) {
                discardCode(challengeId);
            }
            permit.ifPresent(this::releaseQuietly);
            w.telemetry().challengeCreated(DeliveryState.FAILED);
            throw e;
        }
    }

    private String storeWithoutCode(String challengeId, EmailAddress email, DeliveryState delivery, Instant now,
            Instant expiresAt, Instant purgeAt) {
        w.challenges().create(Challenge.withoutCode(challengeId, email, delivery, now, expiresAt), purgeAt);
        w.telemetry().challengeCreated(delivery);
        return challengeId;
    }

    private void discardCode(String challengeId) {
        try {
            w.challenges().markDeliveryFailed(challengeId);
        } catch (RuntimeException e) {
            // The mail was not accepted, so the user has no code to type; the record expires with its TTL.
            LOG.log(Level.WARNING, () -> "event=discard_code_failed challenge_id=" + challengeId
                    + " error=\"" + e.getMessage() + "\"");
        }
    }

    private void releaseQuietly(ThrottlePermit permit) {
        try {
            w.throttle().release(permit);
        } catch (RuntimeException e) {
            // The window then simply runs out; the caller waits one cooldown before mail can be sent again.
            LOG.log(Level.WARNING, () -> "event=throttle_release_failed error=\"" + e.getMessage() + "\"");
        }
    }
}
