package io.authsession.core;

import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.ConfigProvider;
import io.authsession.core.port.MailSender;
import io.authsession.core.port.ResendThrottle;
import io.authsession.core.port.SessionStore;
import io.authsession.core.port.UserDirectory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/** Everything the use cases share, assembled once by the builder. */
record Wiring(
        Clock clock,
        SecureRandom random,
        ChallengeStore challenges,
        SessionStore sessions,
        UserDirectory users,
        MailSender mail,
        ResendThrottle throttle,
        ConfigProvider config,
        Projector projector,
        LoginCodes codes,
        Telemetry telemetry,
        Duration challengeExpiredRetention,
        Duration confirmIdempotencyWindow,
        Duration revokedSessionRetention) {

    /** Now, at the millisecond precision every store keeps. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A new opaque id of 128 random bits, URL-safe. */
    String newChallengeId() {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }
}
