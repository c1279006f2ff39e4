package io.authsession.core;

import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.AddressKey;
import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.DeliveryState;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.ConfigProvider;
import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.MailSender;
import io.authsession.core.port.ResendThrottle;
import io.authsession.core.port.ThrottlePermit;
import io.authsession.core.port.UserDirectory;
import io.authsession.core.port.UserLookup;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** CONTRACT §2.1: throttle (and the address's guess budget), look the user up, store the challenge, mail the code. */
final class SendEmailCode {
    private static final System.Logger LOG = System.getLogger(SendEmailCode.class.getName());

    private final ServiceClock clock;
    private final ConfigProvider config;
    private final ResendThrottle throttle;
    private final UserDirectory users;
    private final ChallengeStore challenges;
    private final MailSender mail;
    private final LoginCodes codes;
    private final CodeHashKey addressKeys;
    private final Telemetry telemetry;
    private final Duration challengeExpiredRetention;

    SendEmailCode(ServiceClock clock, ConfigProvider config, ResendThrottle throttle, UserDirectory users,
            ChallengeStore challenges, MailSender mail, LoginCodes codes, CodeHashKey addressKeys, Telemetry telemetry,
            Duration challengeExpiredRetention) {
        this.clock = clock;
        this.config = config;
        this.throttle = throttle;
        this.users = users;
        this.challenges = challenges;
        this.mail = mail;
        this.codes = codes;
        this.addressKeys = addressKeys;
        this.telemetry = telemetry;
        this.challengeExpiredRetention = challengeExpiredRetention;
    }

    String send(String rawEmail) {
        EmailAddress email = EmailAddress.parse(rawEmail);
        AddressKey address = addressKeys.addressKeyOf(email);
        RuntimeSettings settings = config.current();
        Instant now = clock.now();
        String challengeId = challenges.newChallengeId(address);
        Instant expiresAt = now.plus(settings.challengeTtl());
        Instant purgeAt = expiresAt.plus(challengeExpiredRetention);
        AddressBudget budget = AddressBudget.of(settings);

        Optional<ThrottlePermit> permit = Optional.empty();
        if (!settings.resendCooldown().isZero() || !budget.isOff()) {
            permit = throttle.tryAcquire(address, settings.resendCooldown(), budget);
            if (permit.isEmpty()) {
                return storeWithoutCode(challengeId, address, DeliveryState.THROTTLED, now, expiresAt, purgeAt);
            }
        }

        boolean stored = false;
        try {
            UserLookup lookup = users.resolveByEmail(email);
            if (lookup.status() == UserLookup.Status.BLOCKED) {
                return storeWithoutCode(challengeId, address, DeliveryState.SUPPRESSED, now, expiresAt, purgeAt);
            }
            String code = codes.newCode();
            challenges.create(Challenge.sent(challengeId, address, email, codes.hash(challengeId, code), now,
                    expiresAt), purgeAt);
            stored = true;
            mail.sendLoginCode(new LoginCodeMail(email, code, challengeId, expiresAt));
            telemetry.challengeCreated(DeliveryState.SENT);
            return challengeId;
        } catch (RuntimeException e) {
            if (stored) {
                discardCode(challengeId);
            }
            permit.ifPresent(this::releaseQuietly);
            telemetry.challengeCreated(DeliveryState.FAILED);
            throw e;
        }
    }

    private String storeWithoutCode(String challengeId, AddressKey address, DeliveryState delivery, Instant now,
            Instant expiresAt, Instant purgeAt) {
        challenges.create(Challenge.withoutCode(challengeId, address, delivery, now, expiresAt), purgeAt);
        telemetry.challengeCreated(delivery);
        return challengeId;
    }

    private void discardCode(String challengeId) {
        try {
            challenges.markDeliveryFailed(challengeId);
        } catch (RuntimeException e) {
            // The mail was not accepted, so the user has no code to type; the record expires with its TTL.
            LOG.log(Level.WARNING, () -> "event=discard_code_failed challenge_id=" + challengeId
                    + " error=\"" + e.getMessage() + "\"");
        }
    }

    private void releaseQuietly(ThrottlePermit permit) {
        try {
            throttle.release(permit);
        } catch (RuntimeException e) {
            // The window then simply runs out; the caller waits one cooldown before mail can be sent again.
            LOG.log(Level.WARNING, () -> "event=throttle_release_failed error=\"" + e.getMessage() + "\"");
        }
    }
}
