package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.port.Revocation;
import io.authsession.core.port.SessionCreation;
import io.authsession.core.port.SessionStore;
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
 * The behaviour every {@link SessionStore} must have. Subclass it and return a store built on the given clock;
 * each test gets a fresh store and uses user ids no other test uses.
 */
public abstract class SessionStoreContract {
    protected static final Duration RETENTION = Duration.ofHours(720);

    protected MutableClock clock;
    protected SessionStore store;
    private String user;

    /** A store that decides retention against {@code clock}. */
    protected abstract SessionStore createStore(Clock clock);

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

    /** Creates a session now, then moves the clock one second so that creation times differ. */
    private DeviceSession createOne(String userId) {
        DeviceSession session = newSession(userId);
        store.create(session, 0, purgeAt());
        clock.advance(Duration.ofSeconds(1));
        return session;
    }

    private Instant purgeAt() {
        return clock.instant().plus(RETENTION);
    }

    @Nested
    @DisplayName("create")
    class Create {
        @Test
        @DisplayName("a created session is found with every field as written")
        void foundAsWritten() {
            DeviceSession session = newSession(user);
            SessionCreation creation = store.create(session, 0, purgeAt());
            assertThat(creation).isEqualTo(new SessionCreation(session, true, List.of()));
            assertThat(store.find(session.id())).contains(session);
        }

        @Test
        @DisplayName("a session without device name or key is found without them")
        void minimal() {
            DeviceSession session = DeviceSession.active(
                    store.newSessionId(user), user, clock.instant(), Optional.empty(), Optional.empty());
            store.create(session, 0, purgeAt());
            assertThat(store.find(session.id())).contains(session);
        }

        @Test
        @DisplayName("creating an existing id returns the stored session and changes nothing")
        void createIfAbsent() {
            DeviceSession first = newSession(user);
            store.create(first, 0, purgeAt());
            DeviceSession second = DeviceSession.active(first.id(), user, clock.instant().plusSeconds(5),
                    Optional.of("other device"), Optional.empty());
            assertThat(store.create(second, 0, purgeAt())).isEqualTo(new SessionCreation(first, false, List.of()));
            assertThat(store.find(first.id())).contains(first);
        }

        @Test
        @DisplayName("creating the id of a revoked session never makes it active again")
        void neverRevives() {
            DeviceSession session = createOne(user);
            DeviceSession revoked = store.revoke(session.id(), "logout", clock.instant(), purgeAt()).orElseThrow().session();
            SessionCreation again = store.create(session, 0, purgeAt());
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
            DeviceSession revokedOther =
                    store.revoke(other.id(), "logout", clock.instant(), purgeAt()).orElseThrow().session();
            DeviceSession revokedSelf =
                    store.revoke(session.id(), "logout", clock.instant(), purgeAt()).orElseThrow().session();
            SessionCreation replay = store.create(session, 0, purgeAt());
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
            assertThat(store.listByUser(user, Optional.of(SessionStatus.ACTIVE))).hasSize(5);
        }

        @Test
        @DisplayName("the oldest active sessions are revoked so that the new one makes the limit")
        void oldestRevoked() {
            DeviceSession oldest = createOne(user);
            DeviceSession older = createOne(user);
            DeviceSession old = createOne(user);
            DeviceSession fresh = newSession(user);
            SessionCreation creation = store.create(fresh, 2, purgeAt());

            assertThat(creation.created()).isTrue();
            assertThat(creation.revoked()).extracting(DeviceSession::id).containsExactly(oldest.id(), older.id());
            for (DeviceSession revoked : creation.revoked()) {
                assertThat(revoked.status()).isEqualTo(SessionStatus.REVOKED);
                assertThat(revoked.revokeReason()).contains("session_limit");
                assertThat(revoked.revokedAt()).contains(fresh.createdAt());
                assertThat(revoked.revision()).isEqualTo(2);
                assertThat(store.find(revoked.id())).contains(revoked);
            }
            assertThat(store.listByUser(user, Optional.of(SessionStatus.ACTIVE)))
                    .extracting(DeviceSession::id).containsExactly(fresh.id(), old.id());
        }

        @Test
        @DisplayName("revoked sessions do not count towards the limit")
        void revokedDoNotCount() {
            DeviceSession first = createOne(user);
            store.revoke(first.id(), "logout", clock.instant(), purgeAt());
            createOne(user);
            SessionCreation creation = store.create(newSession(user), 2, purgeAt());
            assertThat(creation.revoked()).isEmpty();
            assertThat(store.listByUser(user, Optional.of(SessionStatus.ACTIVE))).hasSize(2);
        }

        @Test
        @DisplayName("other users' sessions are never touched")
        void otherUsers() {
            String other = newUser();
            DeviceSession theirs = createOne(other);
            createOne(user);
            store.create(newSession(user), 1, purgeAt());
            assertThat(store.find(theirs.id())).contains(theirs);
        }

        @Test
        @DisplayName("a session revoked by the limit disappears at the given purge time")
        void limitRevocationsArePurged() {
            DeviceSession first = createOne(user);
            Instant purgeAt = clock.instant().plus(Duration.ofHours(1));
            store.create(newSession(user), 1, purgeAt);
            clock.set(purgeAt);
            assertThat(store.find(first.id())).isEmpty();
            assertThat(store.listByUser(user, Optional.empty())).hasSize(1);
        }

        @Test
        @DisplayName("8 concurrent logins of one user never leave more than the limit active")
        void concurrentLogins() {
            List<SessionCreation> creations =
                    Concurrently.run(8, () -> store.create(newSession(user), 3, purgeAt()));
            assertThat(creations).allMatch(SessionCreation::created);
            assertThat(store.listByUser(user, Optional.of(SessionStatus.ACTIVE))).hasSize(3);
            assertThat(creations.stream().mapToInt(c -> c.revoked().size()).sum()).isEqualTo(5);
            assertThat(store.listByUser(user, Optional.empty())).hasSize(8);
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
            assertThat(store.listByUser(user, Optional.empty())).containsExactly(c, b, a);
        }

        @Test
        @DisplayName("the listing filters by status")
        void filters() {
            DeviceSession a = createOne(user);
            DeviceSession b = createOne(user);
            DeviceSession revoked = store.revoke(a.id(), "logout", clock.instant(), purgeAt()).orElseThrow().session();
            assertThat(store.listByUser(user, Optional.of(SessionStatus.ACTIVE))).containsExactly(b);
            assertThat(store.listByUser(user, Optional.of(SessionStatus.REVOKED))).containsExactly(revoked);
            assertThat(store.listByUser(user, Optional.empty())).containsExactly(b, revoked);
        }

        @Test
        @DisplayName("an unknown user has no sessions")
        void unknownUser() {
            assertThat(store.listByUser(newUser(), Optional.empty())).isEmpty();
        }

        @Test
        @DisplayName("another user's sessions are not listed")
        void onlyTheUser() {
            createOne(newUser());
            DeviceSession mine = createOne(user);
            assertThat(store.listByUser(user, Optional.empty())).containsExactly(mine);
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
            Revocation revocation = store.revoke(session.id(), "logout", at, purgeAt()).orElseThrow();
            assertThat(revocation.changed()).isTrue();
            assertThat(revocation.session()).isEqualTo(session.revokedAt(at, "logout"));
            assertThat(store.find(session.id())).contains(revocation.session());
        }

        @Test
        @DisplayName("revoking again changes nothing and keeps the first time and reason")
        void idempotent() {
            DeviceSession session = createOne(user);
            DeviceSession first = store.revoke(session.id(), "logout", clock.instant(), purgeAt()).orElseThrow().session();
            clock.advance(Duration.ofMinutes(1));
            Revocation again = store.revoke(session.id(), "admin", clock.instant(), purgeAt()).orElseThrow();
            assertThat(again).isEqualTo(new Revocation(first, false));
            assertThat(store.find(session.id())).contains(first);
        }

        @Test
        @DisplayName("revoking an unknown session finds nothing")
        void unknown() {
            assertThat(store.revoke(store.newSessionId(user), "x", clock.instant(), purgeAt())).isEmpty();
            assertThat(store.revoke("not-an-id", "x", clock.instant(), purgeAt())).isEmpty();
        }

        @Test
        @DisplayName("10 concurrent revocations of one session revoke it once")
        void concurrentRevocations() {
            DeviceSession session = createOne(user);
            List<Revocation> revocations = Concurrently.run(10,
                    () -> store.revoke(session.id(), "logout", clock.instant(), purgeAt()).orElseThrow());
            assertThat(revocations).filteredOn(Revocation::changed).hasSize(1);
            assertThat(revocations).extracting(Revocation::session).containsOnly(store.find(session.id()).orElseThrow());
            assertThat(store.find(session.id()).orElseThrow().revision()).isEqualTo(2);
        }

        @Test
        @DisplayName("revoking all revokes every active session and returns every revoked one")
        void revokeAll() {
            DeviceSession earlier = createOne(user);
            DeviceSession a = createOne(user);
            DeviceSession b = createOne(user);
            DeviceSession revokedBefore =
                    store.revoke(earlier.id(), "logout", clock.instant(), purgeAt()).orElseThrow().session();
            clock.advance(Duration.ofSeconds(1));
            Instant at = clock.instant();

            List<Revocation> revocations = store.revokeAllActive(user, "password_reset", at, purgeAt());

            assertThat(revocations).containsExactlyInAnyOrder(
                    new Revocation(a.revokedAt(at, "password_reset"), true),
                    new Revocation(b.revokedAt(at, "password_reset"), true),
                    new Revocation(revokedBefore, false));
            assertThat(store.listByUser(user, Optional.of(SessionStatus.ACTIVE))).isEmpty();
            assertThat(store.revokeAllActive(user, "again", at, purgeAt())).noneMatch(Revocation::changed);
        }

        @Test
        @DisplayName("revoking all of an unknown user returns nothing")
        void revokeAllUnknown() {
            assertThat(store.revokeAllActive(newUser(), "x", clock.instant(), purgeAt())).isEmpty();
        }

        @Test
        @DisplayName("revoking all leaves other users alone")
        void revokeAllOnlyTheUser() {
            DeviceSession theirs = createOne(newUser());
            createOne(user);
            store.revokeAllActive(user, "x", clock.instant(), purgeAt());
            assertThat(store.find(theirs.id())).contains(theirs);
        }
    }

    @Nested
    @DisplayName("retention")
    class Retention {
        @Test
        @DisplayName("a revoked session disappears at its purge time, from reads and listings alike")
        void purged() {
            DeviceSession kept = createOne(user);
            DeviceSession session = createOne(user);
            Instant purgeAt = clock.instant().plus(RETENTION);
            store.revoke(session.id(), "logout", clock.instant(), purgeAt);

            clock.set(purgeAt.minusMillis(1));
            assertThat(store.find(session.id())).isPresent();
            assertThat(store.listByUser(user, Optional.empty())).hasSize(2);

            clock.set(purgeAt);
            assertThat(store.find(session.id())).isEmpty();
            assertThat(store.listByUser(user, Optional.empty())).containsExactly(kept);
            assertThat(store.listByUser(user, Optional.of(SessionStatus.REVOKED))).isEmpty();
            assertThat(store.revoke(session.id(), "again", clock.instant(), purgeAt())).isEmpty();
        }

        @Test
        @DisplayName("sessions revoked by revoke-all disappear at their purge time")
        void revokeAllPurged() {
            createOne(user);
            createOne(user);
            Instant purgeAt = clock.instant().plus(Duration.ofHours(2));
            store.revokeAllActive(user, "x", clock.instant(), purgeAt);
            clock.set(purgeAt);
            assertThat(store.listByUser(user, Optional.empty())).isEmpty();
            assertThat(store.revokeAllActive(user, "x", clock.instant(), purgeAt())).isEmpty();
        }

        @Test
        @DisplayName("an active session never disappears")
        void activeStays() {
            DeviceSession session = createOne(user);
            clock.advance(Duration.ofDays(3650));
            assertThat(store.find(session.id())).contains(session);
            assertThat(store.listByUser(user, Optional.empty())).containsExactly(session);
        }

        @Test
        @DisplayName("many purged sessions leave the listing correct")
        void manyPurged() {
            for (int i = 0; i < 30; i++) {
                DeviceSession session = createOne(user);
                store.revoke(session.id(), "logout", clock.instant(), clock.instant().plusSeconds(60));
            }
            DeviceSession survivor = createOne(user);
            clock.advance(Duration.ofHours(1));
            assertThat(store.listByUser(user, Optional.empty())).containsExactly(survivor);
        }
    }

    @Test
    @DisplayName("ping answers when the medium is up")
    void ping() {
        assertThatCode(store::ping).doesNotThrowAnyException();
    }
}
