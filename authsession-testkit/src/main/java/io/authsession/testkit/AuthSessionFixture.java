package io.authsession.testkit;

import io.authsession.core.AuthSession;
import io.authsession.core.CodeHashKey;
import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An {@link AuthSession} wired to in-memory fakes and a {@link MutableClock}, for tests of code that embeds
 * authsession. Every fake is reachable, so a test can read the mail, move the clock or make a dependency fail.
 *
 * <pre>{@code
 * AuthSessionFixture fixture = AuthSessionFixture.create();
 * ConfirmedLogin login = fixture.login("user@example.com");
 * fixture.clock().advance(Duration.ofMinutes(10));
 * }</pre>
 */
public final class AuthSessionFixture {
    /** The code hash key of every fixture: fixed, so that failures reproduce. */
    public static final CodeHashKey CODE_HASH_KEY = CodeHashKey.of(filled((byte) 42));

    private final MutableClock clock = MutableClock.create();
    private final InMemoryChallengeStore challenges = new InMemoryChallengeStore(clock);
    private final InMemorySessionStore sessions = new InMemorySessionStore(clock);
    private final InMemoryUserDirectory users = new InMemoryUserDirectory();
    private final RecordingMailSender mail = new RecordingMailSender();
    private final InMemoryProjectionPublisher projection = new InMemoryProjectionPublisher(clock);
    private final InMemoryResendThrottle throttle = new InMemoryResendThrottle(clock, challenges);
    private final InMemoryConfigProvider config = new InMemoryConfigProvider();
    private final AuthSession auth;

    private AuthSessionFixture(Consumer<AuthSession.Builder> customizer) {
        AuthSession.Builder builder = AuthSession.builder()
                .clock(clock)
                .challengeStore(challenges)
                .sessionStore(sessions)
                .userDirectory(users)
                .mailSender(mail)
                .projectionPublisher(projection)
                .resendThrottle(throttle)
                .configProvider(config)
                .codeHashKey(CODE_HASH_KEY);
        customizer.accept(builder);
        this.auth = builder.build();
    }

    /** A fixture with the contract defaults. */
    public static AuthSessionFixture create() {
        return new AuthSessionFixture(builder -> {});
    }

    /** A fixture whose builder the caller adjusts before it is built (retentions, keys, telemetry). */
    public static AuthSessionFixture create(Consumer<AuthSession.Builder> customizer) {
        return new AuthSessionFixture(customizer);
    }

    /** Sends a code to the address and confirms it: a complete login. Safe to call from many threads. */
    public ConfirmedLogin login(String email) {
        String challengeId = auth.sendEmailCode(email);
        String code = mail.codeFor(challengeId)
                .orElseThrow(() -> new AssertionError("no login code was mailed for " + challengeId + " (throttled?)"));
        return auth.confirmEmailCode(ConfirmRequest.of(challengeId, code));
    }

    /** The code of the last mail sent to the address. */
    public String lastCodeFor(String email) {
        return mail.lastCodeFor(email).orElseThrow(() -> new AssertionError("no login code was mailed to " + email));
    }

    public AuthSession auth() {
        return auth;
    }

    public MutableClock clock() {
        return clock;
    }

    public InMemoryChallengeStore challenges() {
        return challenges;
    }

    public InMemorySessionStore sessions() {
        return sessions;
    }

    public InMemoryUserDirectory users() {
        return users;
    }

    public RecordingMailSender mail() {
        return mail;
    }

    public InMemoryProjectionPublisher projection() {
        return projection;
    }

    public InMemoryResendThrottle throttle() {
        return throttle;
    }

    public InMemoryConfigProvider config() {
        return config;
    }

    private static byte[] filled(byte value) {
        byte[] key = new byte[CodeHashKey.MIN_LENGTH];
        Arrays.fill(key, value);
        return key;
    }
}
