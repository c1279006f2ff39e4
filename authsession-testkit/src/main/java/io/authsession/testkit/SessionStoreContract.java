package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.port.Extension;
import io.authsession.core.port.Revocation;
import io.authsession.core.port.SessionCreation;
import io.authsession.core.port.SessionStore;
import io.authsession.core.port.UserRevocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SessionStore} must have. Subclass it and return a store built on the given clock, and
 * say how a record is lost behind the store's back (an eviction); each test gets a fresh store and uses user ids no
 * other test uses.
 */
public abstract class SessionStoreContract {
    protected static final Duration RETENTION = Duration.ofHours(720);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** A 30-day cap with a 1-hour idle timeout. */
    private static final RuntimeSettings LIFETIME = RuntimeSettings.DEFAULTS
            .with(RuntimeSettings.Setting.SESSION_MAX_LIFETIME, "720h")
            .with(RuntimeSettings.Setting.SESSION_IDLE_TIMEOUT, "1h");

    protected MutableClock clock;
    protected SessionStore store;
    private String user;

    /** A store that decides retention and expiry against {@code clock}. */
    protected abstract SessionStore createStore(Clock clock);

    /** Removes the session's record but not its index entry, as Redis evicting it (or an operator's DEL) would. */
    protected abstract void loseRecord(String deviceSessionId);

    @BeforeEach
    void createStoreUnderTest() {
        clock = MutableClock.create();
        store = createStore(clock);
        user = newUser();
    }

    private static String newUser() {
        return "kit-user-" + UUID.randomUUID();
    }

    private DeviceSession newSession(String userId) {
        return DeviceSession.active(store.newSessionId(userId), userId, clock.instant(),
                Optional.of("Pixel 8"), Optional.of("A".repeat(43) + "="));
    }

    private DeviceSession newExpiringSession(String userId) {
        return DeviceSession.active(store.newSessionId(userId), userId, clock.instant(), LIFETIME,
                Optional.of("Pixel 8"), Optional.empty());
    }

    /** Creates a session now, then moves the clock one second so that creation times differ. */
    private DeviceSession createOne(String userId) {
        return created(newSession(userId));
    }

    private DeviceSession created(DeviceSession session) {
        store.create(session, 0, RETENTION);
        clock.advance(Duration.ofSeconds(1));
        return session;
    }

    private DeviceSession revoke(DeviceSession session, String reason) {
        return store.revoke(session.id(), reason, clock.instant(), RETENTION).orElseThrow().session();
    }

    private List<DeviceSession> list(Optional<SessionStatus> status) {
        return store.listByUser(user, status).sessions();
    }

    private List<DeviceSession> listAll() {
        return list(Optional.empty());
    }

    @Nested
    @DisplayName("create")
    class Create {
        @Test
        @DisplayName("a created session is found with every field as written")
        void foundAsWritten() {
            DeviceSession session = newSession(user);
            SessionCreation creation = store.create(session, 0, RETENTION);
            assertThat(creation).isEqualTo(new SessionCreation(session, true, List.of(), 0));
            assertThat(store.find(session.id())).contains(session);
        }

        @Test
        @DisplayName("a session without device name or key is found without them")
        void minimal() {
            DeviceSession session = DeviceSession.active(
                    store.newSessionId(user), user, clock.instant(), Optional.empty(), Optional.empty());
            store.create(session, 0, RETENTION);
            assertThat(store.find(session.id())).contains(session);
        }

        @Test
        @DisplayName("creating an existing id returns the stored session and changes nothing")
        void createIfAbsent() {
            DeviceSession first = newSession(user);
            store.create(first, 0, RETENTION);
            DeviceSession second = DeviceSession.active(first.id(), user, clock.instant().plusSeconds(5),
                    Optional.of("other device"), Optional.empty());
            assertThat(store.create(second, 0, RETENTION)).isEqualTo(new SessionCreation(first, false, List.of(), 0));
            assertThat(store.find(first.id())).contains(first);
        }

        @Test
        @DisplayName("creating the id of a revoked session never makes it active again")
        void neverRevives() {
            DeviceSession session = createOne(user);
            DeviceSession revoked = revoke(session, "logout");
            SessionCreation again = store.create(session, 0, RETENTION);
            assertThat(again.created()).isFalse();
            assertThat(again.session()).isEqualTo(revoked);
            assertThat(store.find(session.id())).contains(revoked);
        }

        @Test
        @DisplayName("creating an existing id returns the user's other revoked sessions, for a replay to publish again")
        void replayReturnsRevoked() {
            DeviceSession session = createOne(user);
            DeviceSession other = createOne(user);
            DeviceSession third = createOne(user);
            DeviceSession revokedOther = revoke(other, "logout");
            DeviceSession revokedSelf = revoke(session, "logout");
            SessionCreation replay = store.create(session, 0, RETENTION);
            assertThat(replay.created()).isFalse();
            assertThat(replay.session()).isEqualTo(revokedSelf);
            assertThat(replay.revoked()).containsExactly(revokedOther);
            assertThat(store.find(third.id())).contains(third);
        }

        @Test
        @DisplayName("an unknown session is not found")
        void unknown() {
            assertThat(store.find(store.newSessionId(user))).isEmpty();
            assertThat(store.find("not-an-id")).isEmpty();
        }
    }

    @Nested
    @DisplayName("ids")
    class Ids {
        @Test
        @DisplayName("new ids are opaque, URL-safe, carry at least 128 random bits and never repeat")
        void opaqueAndRandom() {
            int count = 2000;
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (int i = 0; i < count; i++) {
                String id = store.newSessionId(user);
                assertThat(id).matches("[A-Za-z0-9_-]{22,128}").doesNotContain(user);
                ids.add(id);
            }
            assertThat(ids).hasSize(count);
            // A store may put a fixed part (a layout hint) in an id; the rest must vary: every varying base64
            // position carries 6 bits, so at least 22 of them make 128 bits.
            assertThat(IdEntropy.varyingPositions(ids)).isGreaterThanOrEqualTo(22);
        }
    }

    @Nested
    @DisplayName("session limit")
    class SessionLimit {
        @Test
        @DisplayName("with no limit every session stays active")
        void noLimit() {
            for (int i = 0; i < 5; i++) {
                createOne(user);
            }
            assertThat(list(Optional.of(SessionStatus.ACTIVE))).hasSize(5);
        }

        @Test
        @DisplayName("the oldest active sessions are revoked so that the new one makes the limit")
        void oldestRevoked() {
            DeviceSession oldest = createOne(user);
            DeviceSession older = createOne(user);
            DeviceSession old = createOne(user);
            DeviceSession fresh = newSession(user);
            SessionCreation creation = store.create(fresh, 2, RETENTION);

            assertThat(creation.created()).isTrue();
            assertThat(creation.revoked()).extracting(DeviceSession::id).containsExactly(oldest.id(), older.id());
            for (DeviceSession revoked : creation.revoked()) {
                assertThat(revoked.status()).isEqualTo(SessionStatus.REVOKED);
                assertThat(revoked.revokeReason()).contains("session_limit");
                assertThat(revoked.revokedAt()).contains(fresh.createdAt());
                assertThat(revoked.revision()).isEqualTo(2);
                assertThat(store.find(revoked.id())).contains(revoked);
            }
            assertThat(list(Optional.of(SessionStatus.ACTIVE)))
                    .extracting(DeviceSession::id).containsExactly(fresh.id(), old.id());
        }

        @Test
        @DisplayName("revoked sessions do not count towards the limit")
        void revokedDoNotCount() {
            DeviceSession first = createOne(user);
            revoke(first, "logout");
            createOne(user);
            SessionCreation creation = store.create(newSession(user), 2, RETENTION);
            assertThat(creation.revoked()).isEmpty();
            assertThat(list(Optional.of(SessionStatus.ACTIVE))).hasSize(2);
        }

        @Test
        @DisplayName("expired sessions do not count towards the limit and are not revoked by it")
        void expiredDoNotCount() {
            DeviceSession expiring = created(newExpiringSession(user));
            clock.advance(Duration.ofHours(1));
            createOne(user);
            SessionCreation creation = store.create(newSession(user), 2, RETENTION);
            assertThat(creation.revoked()).isEmpty();
            assertThat(store.find(expiring.id()).orElseThrow().status()).isEqualTo(SessionStatus.EXPIRED);
        }

        @Test
        @DisplayName("other users' sessions are never touched")
        void otherUsers() {
            String other = newUser();
            DeviceSession theirs = createOne(other);
            createOne(user);
            store.create(newSession(user), 1, RETENTION);
            assertThat(store.find(theirs.id())).contains(theirs);
        }

        @Test
        @DisplayName("a session revoked by the limit disappears when its retention ends")
        void limitRevocationsArePurged() {
            DeviceSession first = createOne(user);
            DeviceSession fresh = newSession(user);
            store.create(fresh, 1, Duration.ofHours(1));
            clock.set(fresh.createdAt().plus(Duration.ofHours(1)));
            assertThat(store.find(first.id())).isEmpty();
            assertThat(listAll()).hasSize(1);
        }

        @Test
        @DisplayName("8 concurrent logins of one user never leave more than the limit active")
        void concurrentLogins() {
            List<SessionCreation> creations =
                    Concurrently.run(8, () -> store.create(newSession(user), 3, RETENTION));
            assertThat(creations).allMatch(SessionCreation::created);
            assertThat(list(Optional.of(SessionStatus.ACTIVE))).hasSize(3);
            assertThat(creations.stream().mapToInt(c -> c.revoked().size()).sum()).isEqualTo(5);
            assertThat(listAll()).hasSize(8);
        }
    }

    @Nested
    @DisplayName("listing")
    class Listing {
        @Test
        @DisplayName("a user's sessions are listed newest first")
        void newestFirst() {
            DeviceSession a = createOne(user);
            DeviceSession b = createOne(user);
            DeviceSession c = createOne(user);
            assertThat(listAll()).containsExactly(c, b, a);
        }

        @Test
        @DisplayName("the listing filters by status")
        void filters() {
            DeviceSession a = createOne(user);
            DeviceSession b = createOne(user);
            DeviceSession expiring = created(newExpiringSession(user));
            DeviceSession revoked = revoke(a, "logout");
            clock.advance(Duration.ofHours(1));
            DeviceSession expired = expiring.seenAt(clock.instant());
            assertThat(list(Optional.of(SessionStatus.ACTIVE))).containsExactly(b);
            assertThat(list(Optional.of(SessionStatus.REVOKED))).containsExactly(revoked);
            assertThat(list(Optional.of(SessionStatus.EXPIRED))).containsExactly(expired);
            assertThat(listAll()).containsExactly(expired, b, revoked);
        }

        @Test
        @DisplayName("an unknown user has no sessions")
        void unknownUser() {
            assertThat(store.listByUser(newUser(), Optional.empty()).sessions()).isEmpty();
        }

        @Test
        @DisplayName("another user's sessions are not listed")
        void onlyTheUser() {
            createOne(newUser());
            DeviceSession mine = createOne(user);
            assertThat(listAll()).containsExactly(mine);
        }
    }

    @Nested
    @DisplayName("revoke")
    class Revoke {
        @Test
        @DisplayName("revoking sets the status, time, reason and the next revision, and keeps the rest")
        void revokes() {
            DeviceSession session = createOne(user);
            Instant at = clock.instant();
            Revocation revocation = store.revoke(session.id(), "logout", at, RETENTION).orElseThrow();
            assertThat(revocation.changed()).isTrue();
            assertThat(revocation.session()).isEqualTo(session.revokedAt(at, "logout"));
            assertThat(store.find(session.id())).contains(revocation.session());
        }

        @Test
        @DisplayName("revoking again changes nothing and keeps the first time and reason")
        void idempotent() {
            DeviceSession session = createOne(user);
            DeviceSession first = revoke(session, "logout");
            clock.advance(MINUTE);
            Revocation again = store.revoke(session.id(), "admin", clock.instant(), RETENTION).orElseThrow();
            assertThat(again).isEqualTo(new Revocation(first, false));
            assertThat(store.find(session.id())).contains(first);
        }

        @Test
        @DisplayName("revoking an expired session changes nothing: it stays expired")
        void expired() {
            DeviceSession session = created(newExpiringSession(user));
            clock.advance(Duration.ofHours(1));
            Revocation revocation = store.revoke(session.id(), "logout", clock.instant(), RETENTION).orElseThrow();
            assertThat(revocation).isEqualTo(new Revocation(session.seenAt(clock.instant()), false));
            assertThat(revocation.session().status()).isEqualTo(SessionStatus.EXPIRED);
        }

        @Test
        @DisplayName("revoking an unknown session finds nothing")
        void unknown() {
            assertThat(store.revoke(store.newSessionId(user), "x", clock.instant(), RETENTION)).isEmpty();
            assertThat(store.revoke("not-an-id", "x", clock.instant(), RETENTION)).isEmpty();
        }

        @Test
        @DisplayName("10 concurrent revocations of one session revoke it once")
        void concurrentRevocations() {
            DeviceSession session = createOne(user);
            List<Revocation> revocations = Concurrently.run(10,
                    () -> store.revoke(session.id(), "logout", clock.instant(), RETENTION).orElseThrow());
            assertThat(revocations).filteredOn(Revocation::changed).hasSize(1);
            assertThat(revocations).extracting(Revocation::session).containsOnly(store.find(session.id()).orElseThrow());
            assertThat(store.find(session.id()).orElseThrow().revision()).isEqualTo(2);
        }

        @Test
        @DisplayName("revoking all revokes every active session and returns every revoked one, never an expired one")
        void revokeAll() {
            DeviceSession earlier = createOne(user);
            DeviceSession expiring = created(newExpiringSession(user));
            clock.advance(Duration.ofHours(1));
            DeviceSession a = createOne(user);
            DeviceSession b = createOne(user);
            DeviceSession revokedBefore = revoke(earlier, "logout");
            clock.advance(Duration.ofSeconds(1));
            Instant at = clock.instant();

            UserRevocation result = store.revokeAllActive(user, "password_reset", at, RETENTION);

            assertThat(result.revocations()).containsExactlyInAnyOrder(
                    new Revocation(a.revokedAt(at, "password_reset"), true),
                    new Revocation(b.revokedAt(at, "password_reset"), true),
                    new Revocation(revokedBefore, false));
            assertThat(result.lostRecords()).isZero();
            assertThat(list(Optional.of(SessionStatus.ACTIVE))).isEmpty();
            assertThat(store.find(expiring.id()).orElseThrow().status()).isEqualTo(SessionStatus.EXPIRED);
            assertThat(store.revokeAllActive(user, "again", at, RETENTION).revocations())
                    .noneMatch(Revocation::changed);
        }

        @Test
        @DisplayName("revoking all of an unknown user returns nothing")
        void revokeAllUnknown() {
            assertThat(store.revokeAllActive(newUser(), "x", clock.instant(), RETENTION).revocations()).isEmpty();
        }

        @Test
        @DisplayName("revoking all leaves other users alone")
        void revokeAllOnlyTheUser() {
            DeviceSession theirs = createOne(newUser());
            createOne(user);
            store.revokeAllActive(user, "x", clock.instant(), RETENTION);
            assertThat(store.find(theirs.id())).contains(theirs);
        }
    }

    @Nested
    @DisplayName("lifetime")
    class Lifetime {
        @Test
        @DisplayName("a session is active until its expiry and expired from that instant exactly, by the clock")
        void expiresAtExactly() {
            DeviceSession session = newExpiringSession(user);
            store.create(session, 0, RETENTION);
            assertThat(session.expiresAt()).contains(session.createdAt().plus(Duration.ofHours(1)));
            clock.set(session.expiresAt().orElseThrow().minusMillis(1));
            assertThat(store.find(session.id())).contains(session);
            clock.set(session.expiresAt().orElseThrow());
            assertThat(store.find(session.id()).orElseThrow()).isEqualTo(session.seenAt(clock.instant()))
                    .extracting(DeviceSession::status).isEqualTo(SessionStatus.EXPIRED);
        }

        @Test
        @DisplayName("extending moves the expiry to now plus the idle timeout, one revision later")
        void extends_() {
            DeviceSession session = created(newExpiringSession(user));
            clock.advance(Duration.ofMinutes(30));
            Extension extension = store.extend(session.id(), clock.instant(), Duration.ofHours(1), MINUTE, RETENTION)
                    .orElseThrow();
            assertThat(extension.kind()).isEqualTo(Extension.Kind.EXTENDED);
            assertThat(extension.session()).isEqualTo(session.extendedTo(clock.instant().plus(Duration.ofHours(1))));
            assertThat(extension.session().revision()).isEqualTo(2);
            assertThat(store.find(session.id())).contains(extension.session());
        }

        @Test
        @DisplayName("an extension never passes the lifetime cap fixed at creation")
        void cappedAtCreation() {
            RuntimeSettings shortCap = RuntimeSettings.DEFAULTS
                    .with(RuntimeSettings.Setting.SESSION_MAX_LIFETIME, "2h")
                    .with(RuntimeSettings.Setting.SESSION_IDLE_TIMEOUT, "1h");
            DeviceSession session = DeviceSession.active(store.newSessionId(user), user, clock.instant(), shortCap,
                    Optional.empty(), Optional.empty());
            store.create(session, 0, RETENTION);
            Instant cap = session.createdAt().plus(Duration.ofHours(2));
            clock.advance(Duration.ofMinutes(50));
            store.extend(session.id(), clock.instant(), Duration.ofHours(1), MINUTE, RETENTION);
            clock.advance(Duration.ofMinutes(50));
            Extension capped = store.extend(session.id(), clock.instant(), Duration.ofHours(5), MINUTE, RETENTION)
                    .orElseThrow();
            assertThat(capped.session().expiresAt()).contains(cap);
            assertThat(capped.session().lifetimeCap()).contains(cap);
            clock.set(cap);
            assertThat(store.find(session.id()).orElseThrow().status()).isEqualTo(SessionStatus.EXPIRED);
        }

        @Test
        @DisplayName("an extension that would move the expiry by less than the minimum changes and writes nothing")
        void minimumMove() {
            DeviceSession session = created(newExpiringSession(user));
            clock.set(session.createdAt().plusSeconds(59).plusMillis(999));
            Extension extension = store.extend(session.id(), clock.instant(), Duration.ofHours(1), MINUTE, RETENTION)
                    .orElseThrow();
            assertThat(extension).isEqualTo(new Extension(Extension.Kind.UNCHANGED, session));
            assertThat(store.find(session.id())).contains(session);
            Extension idleOff = store.extend(session.id(), clock.instant(), Duration.ZERO, MINUTE, RETENTION)
                    .orElseThrow();
            assertThat(idleOff.kind()).isEqualTo(Extension.Kind.UNCHANGED);
        }

        @Test
        @DisplayName("a revoked or expired session is inactive: extending it writes nothing")
        void inactive() {
            DeviceSession revoked = revoke(createOne(user), "logout");
            assertThat(store.extend(revoked.id(), clock.instant(), Duration.ofHours(1), MINUTE, RETENTION))
                    .contains(new Extension(Extension.Kind.INACTIVE, revoked));
            DeviceSession expiring = created(newExpiringSession(user));
            clock.advance(Duration.ofHours(1));
            assertThat(store.extend(expiring.id(), clock.instant(), Duration.ofHours(1), MINUTE, RETENTION))
                    .contains(new Extension(Extension.Kind.INACTIVE, expiring.seenAt(clock.instant())));
            assertThat(store.extend(store.newSessionId(user), clock.instant(), Duration.ofHours(1), MINUTE,
                    RETENTION)).isEmpty();
        }

        @Test
        @DisplayName("24 threads extending while one revokes: the session ends revoked, never active again")
        void extendRacesRevoke() {
            DeviceSession session = created(newExpiringSession(user));
            java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
            Concurrently.run(25, () -> {
                if (turn.incrementAndGet() == 13) {
                    return store.revoke(session.id(), "logout", clock.instant(), RETENTION).orElseThrow().session();
                }
                clock.advance(Duration.ofMinutes(2));
                return store.extend(session.id(), clock.instant(), Duration.ofHours(1), MINUTE, RETENTION)
                        .orElseThrow().session();
            });
            DeviceSession stored = store.find(session.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(SessionStatus.REVOKED);
            assertThat(store.extend(session.id(), clock.instant(), Duration.ofHours(1), MINUTE, RETENTION)
                    .orElseThrow().kind()).isEqualTo(Extension.Kind.INACTIVE);
        }

        @Test
        @DisplayName("an expired session stays readable for the retention counted from its expiry, then disappears")
        void retentionFromExpiry() {
            DeviceSession session = created(newExpiringSession(user));
            Instant purgeAt = session.expiresAt().orElseThrow().plus(RETENTION);
            clock.set(purgeAt.minusMillis(1));
            assertThat(store.find(session.id()).orElseThrow().status()).isEqualTo(SessionStatus.EXPIRED);
            assertThat(listAll()).hasSize(1);
            clock.set(purgeAt);
            assertThat(store.find(session.id())).isEmpty();
            assertThat(store.listByUser(user, Optional.empty())).satisfies(listing -> {
                assertThat(listing.sessions()).isEmpty();
                assertThat(listing.lostRecords()).isZero();
            });
        }

        @Test
        @DisplayName("an extension moves the end of the retention with the expiry")
        void retentionMovesWithExtension() {
            DeviceSession session = created(newExpiringSession(user));
            clock.advance(Duration.ofMinutes(30));
            Instant extendedTo = clock.instant().plus(Duration.ofHours(1));
            store.extend(session.id(), clock.instant(), Duration.ofHours(1), MINUTE, RETENTION);
            clock.set(session.expiresAt().orElseThrow().plus(RETENTION));
            assertThat(store.find(session.id())).isPresent();
            clock.set(extendedTo.plus(RETENTION));
            assertThat(store.find(session.id())).isEmpty();
        }
    }

    @Nested
    @DisplayName("retention and lost records")
    class Retention {
        @Test
        @DisplayName("a revoked session disappears when its retention ends, from reads and listings alike")
        void purged() {
            DeviceSession kept = createOne(user);
            DeviceSession session = createOne(user);
            Instant purgeAt = clock.instant().plus(RETENTION);
            revoke(session, "logout");

            clock.set(purgeAt.minusMillis(1));
            assertThat(store.find(session.id())).isPresent();
            assertThat(listAll()).hasSize(2);

            clock.set(purgeAt);
            assertThat(store.find(session.id())).isEmpty();
            assertThat(listAll()).containsExactly(kept);
            assertThat(list(Optional.of(SessionStatus.REVOKED))).isEmpty();
            assertThat(store.revoke(session.id(), "again", clock.instant(), RETENTION)).isEmpty();
        }

        @Test
        @DisplayName("sessions revoked by revoke-all disappear when their retention ends")
        void revokeAllPurged() {
            createOne(user);
            createOne(user);
            Instant at = clock.instant();
            store.revokeAllActive(user, "x", at, Duration.ofHours(2));
            clock.set(at.plus(Duration.ofHours(2)));
            assertThat(listAll()).isEmpty();
            assertThat(store.revokeAllActive(user, "x", clock.instant(), RETENTION).revocations()).isEmpty();
        }

        @Test
        @DisplayName("an active session without a lifetime never disappears")
        void activeStays() {
            DeviceSession session = createOne(user);
            clock.advance(Duration.ofDays(3650));
            assertThat(store.find(session.id())).contains(session);
            assertThat(listAll()).containsExactly(session);
        }

        @Test
        @DisplayName("many purged sessions leave the listing correct")
        void manyPurged() {
            for (int i = 0; i < 30; i++) {
                DeviceSession session = createOne(user);
                store.revoke(session.id(), "logout", clock.instant(), Duration.ofSeconds(60));
            }
            DeviceSession survivor = createOne(user);
            clock.advance(Duration.ofHours(1));
            assertThat(listAll()).containsExactly(survivor);
        }

        @Test
        @DisplayName("a record lost before its purge time is dropped from the index and reported once, by a listing")
        void lostFoundByListing() {
            DeviceSession kept = createOne(user);
            DeviceSession lost = createOne(user);
            DeviceSession lostRevoked = createOne(user);
            revoke(lostRevoked, "logout");
            loseRecord(lost.id());
            loseRecord(lostRevoked.id());
            assertThat(store.listByUser(user, Optional.empty())).satisfies(listing -> {
                assertThat(listing.sessions()).containsExactly(kept);
                assertThat(listing.lostRecords()).isEqualTo(2);
            });
            assertThat(store.listByUser(user, Optional.empty()).lostRecords()).isZero();
        }

        @Test
        @DisplayName("a lost record is reported by revoke-all, and by a login that applies the session limit")
        void lostFoundByRevocations() {
            DeviceSession lost = createOne(user);
            createOne(user);
            loseRecord(lost.id());
            UserRevocation result = store.revokeAllActive(user, "x", clock.instant(), RETENTION);
            assertThat(result.lostRecords()).isEqualTo(1);
            assertThat(result.revocations()).hasSize(1);

            DeviceSession alsoLost = createOne(user);
            loseRecord(alsoLost.id());
            assertThat(store.create(newSession(user), 1, RETENTION).lostRecords()).isEqualTo(1);
        }

        @Test
        @DisplayName("a record gone at or after its purge time is not lost: it ended as it should")
        void purgedIsNotLost() {
            DeviceSession expiring = created(newExpiringSession(user));
            clock.set(expiring.expiresAt().orElseThrow().plus(RETENTION));
            loseRecord(expiring.id());
            assertThat(store.listByUser(user, Optional.empty()).lostRecords()).isZero();
        }
    }

    @Test
    @DisplayName("ping answers when the medium is up")
    void ping() {
        assertThatCode(store::ping).doesNotThrowAnyException();
    }
}
