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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * CONTRACT §2.1: throttle (and the address's guess budget), store the challenge, look the user up, mail the code.
 *
 * <p>The challenge is stored (with its code's hash, or without a code when throttled) before the user lookup, so
 * that from the moment a {@code challenge_id} is answered a confirm of it behaves alike whatever happened next. Then
 * delivery (lookup and mail) runs inline, or, with a {@link SendTiming}, on its executor while the answer waits for
 * the fixed answer time: every send then answers at the same time whether the address exists, is blocked, throttled
 * or locked. A delivery still running at the answer time carries on; a failure detected before it answers
 * {@code 503}, one detected after it only releases the window and discards the code.
 */
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
    private final Optional<SendTiming> timing;

    SendEmailCode(ServiceClock clock, ConfigProvider config, ResendThrottle throttle, UserDirectory users,
            ChallengeStore challenges, MailSender mail, LoginCodes codes, CodeHashKey addressKeys, Telemetry telemetry,
            Duration challengeExpiredRetention, Optional<SendTiming> timing) {
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
        this.timing = timing;
    }

    /** Sends inline and answers when delivery is done (no answer time). */
    String send(String rawEmail) {
        Begun begun = begin(rawEmail);
        begun.delivery().ifPresent(Delivery::run);
        return begun.challengeId();
    }

    /**
     * Sends with the configured answer time: the store steps run on the calling thread, delivery on the timing's
     * executor; the answer completes at the answer time counted from {@code startedNanos} (or at once, with the
     * failure, when delivery fails before it). Without a timing, the same as {@link #send}, completed.
     */
    CompletableFuture<String> sendTimed(String rawEmail, long startedNanos) {
        if (timing.isEmpty()) {
            return CompletableFuture.completedFuture(send(rawEmail));
        }
        SendTiming times = timing.get();
        Begun begun = begin(rawEmail);
        CompletableFuture<String> answer = new CompletableFuture<>();
        begun.delivery().ifPresent(delivery -> CompletableFuture.runAsync(delivery, times.delivery())
                .whenComplete((done, failure) -> {
                    if (failure != null && !answer.completeExceptionally(unwrap(failure))) {
                        LOG.log(Level.WARNING, () -> "event=delivery_failed_after_answer challenge_id="
                                + begun.challengeId() + " error=\"" + unwrap(failure).getMessage() + "\"");
                    }
                }));
        long waitNanos = times.answerTime().toNanos() - (System.nanoTime() - startedNanos);
        times.scheduler().schedule(() -> answer.complete(begun.challengeId()), Math.max(0, waitNanos),
                TimeUnit.NANOSECONDS);
        return answer;
    }

    /** The steps every send takes alike: throttle and store. What is left to do is the delivery. */
    private Begun begin(String rawEmail) {
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
                challenges.create(Challenge.withoutCode(challengeId, address, DeliveryState.THROTTLED, now, expiresAt),
                        purgeAt);
                telemetry.challengeCreated(challengeId, DeliveryState.THROTTLED);
                return new Begun(challengeId, Optional.empty());
            }
        }
        String code = codes.newCode();
        try {
            challenges.create(Challenge.sent(challengeId, address, email, codes.hash(challengeId, code), now,
                    expiresAt), purgeAt);
        } catch (RuntimeException e) {
            permit.ifPresent(this::releaseQuietly);
            telemetry.challengeCreated(challengeId, DeliveryState.FAILED);
            throw e;
        }
        return new Begun(challengeId, Optional.of(new Delivery(challengeId, email, code, expiresAt, permit)));
    }

    private record Begun(String challengeId, Optional<Delivery> delivery) {}

    /** The user lookup and the mail of one stored challenge; on failure its code is discarded and the window freed. */
    private final class Delivery implements Runnable {
        private final String challengeId;
        private final EmailAddress email;
        private final String code;
        private final Instant expiresAt;
        private final Optional<ThrottlePermit> permit;

        Delivery(String challengeId, EmailAddress email, String code, Instant expiresAt,
                Optional<ThrottlePermit> permit) {
            this.challengeId = challengeId;
            this.email = email;
            this.code = code;
            this.expiresAt = expiresAt;
            this.permit = permit;
        }

        @Override
        public void run() {
            try {
                UserLookup lookup = users.resolveByEmail(email);
                if (lookup.status() == UserLookup.Status.BLOCKED) {
                    challenges.discardCode(challengeId, DeliveryState.SUPPRESSED);
                    telemetry.challengeCreated(challengeId, DeliveryState.SUPPRESSED);
                    return;
                }
                mail.sendLoginCode(new LoginCodeMail(email, code, challengeId, expiresAt));
                telemetry.challengeCreated(challengeId, DeliveryState.SENT);
            } catch (RuntimeException e) {
                discardQuietly(challengeId);
                permit.ifPresent(SendEmailCode.this::releaseQuietly);
                telemetry.challengeCreated(challengeId, DeliveryState.FAILED);
                throw e;
            }
        }
    }

    private void discardQuietly(String challengeId) {
        try {
            challenges.discardCode(challengeId, DeliveryState.FAILED);
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

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
