package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.port.ProjectionPublisher;
import io.authsession.core.port.PublishOutcome;
import io.authsession.core.port.SessionSnapshot;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ProjectionPublisher} must have: what the gateway reads after each publication,
 * revision ordering, and all or nothing.
 */
public abstract class ProjectionPublisherContract {
    protected static final Duration RETENTION = Duration.ofHours(720);
    private static final SecureRandom RANDOM = new SecureRandom();

    protected MutableClock clock;
    protected ProjectionPublisher publisher;
    protected ProjectionView view;

    /** A publisher on {@code clock}, publishing where {@link #view()} reads. */
    protected abstract ProjectionPublisher createPublisher(Clock clock);

    /** Reads what the gateway sees; called after {@link #createPublisher}. */
    protected abstract ProjectionView view();

    /** Makes every publication fail in the medium (for example a stream key of the wrong type). */
    protected abstract void breakPublishing();

    /** Undoes {@link #breakPublishing()}. */
    protected abstract void repairPublishing();

    @BeforeEach
    void createPublisherUnderTest() {
        clock = MutableClock.create();
        publisher = createPublisher(clock);
        view = view();
    }

    private DeviceSession newSession() {
        String user = "kit-user-" + UUID.randomUUID();
        return DeviceSession.active(randomId(), user, clock.instant(),
                Optional.of("Pixel \"8\""), Optional.empty());
    }

    private List<ProjectionEvent> eventsOf(DeviceSession session) {
        return view.events().stream().filter(e -> e.deviceSessionId().equals(session.id())).toList();
    }

    private static String randomId() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    private static SessionSnapshot snapshot(DeviceSession session) {
        return SessionSnapshot.of(session, RETENTION);
    }

    @Test
    @DisplayName("an active session is projected with a snapshot that never expires and one matching event")
    void active() {
        DeviceSession session = newSession();
        SessionSnapshot snapshot = snapshot(session);
        assertThat(publisher.publish(snapshot)).isEqualTo(PublishOutcome.APPLIED);

        assertThat(view.snapshot(session.id())).contains(snapshot.json());
        assertThat(view.snapshotTimeToLive(session.id())).isEmpty();
        assertThat(eventsOf(session)).containsExactly(
                new ProjectionEvent(session.id(), session.userId(), "active", 1, snapshot.json()));
    }

    @Test
    @DisplayName("an active session with a lifetime is projected with its expires_at, the key gone at that instant")
    void activeWithLifetime() {
        DeviceSession session = DeviceSession.active(randomId(), "kit-user-" + UUID.randomUUID(), clock.instant(),
                io.authsession.core.domain.RuntimeSettings.DEFAULTS.with(
                        io.authsession.core.domain.RuntimeSettings.Setting.SESSION_MAX_LIFETIME, "2h"),
                Optional.empty(), Optional.empty());
        SessionSnapshot snapshot = snapshot(session);
        assertThat(publisher.publish(snapshot)).isEqualTo(PublishOutcome.APPLIED);
        assertThat(view.snapshot(session.id())).get().asString().contains("\"expires_at\":\"");
        assertThat(view.snapshotTimeToLive(session.id())).get()
                .matches(ttl -> ttl.compareTo(Duration.ofHours(2)) <= 0
                        && ttl.compareTo(Duration.ofHours(2).minusSeconds(30)) > 0, "about 2 hours");
    }

    @Test
    @DisplayName("a revoked session's snapshot expires with the revoked-session retention")
    void revoked() {
        DeviceSession session = newSession();
        publisher.publish(snapshot(session));
        DeviceSession revoked = session.revokedAt(clock.instant(), "logout");
        SessionSnapshot snapshot = snapshot(revoked);

        assertThat(publisher.publish(snapshot)).isEqualTo(PublishOutcome.APPLIED);

        assertThat(view.snapshot(session.id())).contains(snapshot.json());
        assertThat(view.snapshotTimeToLive(session.id())).get()
                .matches(ttl -> ttl.compareTo(RETENTION) <= 0 && ttl.compareTo(RETENTION.minusSeconds(30)) > 0,
                        "close to the retention");
        assertThat(eventsOf(session)).extracting(ProjectionEvent::status, ProjectionEvent::revision)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("active", 1L),
                        org.assertj.core.groups.Tuple.tuple("revoked", 2L));
        assertThat(eventsOf(session).get(1).snapshot()).isEqualTo(snapshot.json());
    }

    @Test
    @DisplayName("a revoked snapshot published late expires when the retention ends, not a full retention later")
    void latePublicationKeepsExpiry() {
        DeviceSession revoked = newSession().revokedAt(clock.instant(), "logout");
        Instant expiresAt = snapshot(revoked).expiresAt().orElseThrow();
        clock.advance(Duration.ofHours(700));
        assertThat(publisher.publish(snapshot(revoked))).isEqualTo(PublishOutcome.APPLIED);
        assertThat(view.snapshotTimeToLive(revoked.id())).get()
                .matches(ttl -> ttl.compareTo(Duration.between(clock.instant(), expiresAt)) <= 0
                        && ttl.compareTo(Duration.ofHours(19)) > 0, "about 20 hours left");
    }

    @Test
    @DisplayName("a revision not greater than the projected one changes nothing")
    void stale() {
        DeviceSession session = newSession();
        DeviceSession revoked = session.revokedAt(clock.instant(), "logout");
        publisher.publish(snapshot(revoked));

        assertThat(publisher.publish(snapshot(session))).isEqualTo(PublishOutcome.STALE);
        assertThat(publisher.publish(snapshot(revoked))).isEqualTo(PublishOutcome.STALE);

        assertThat(view.snapshot(session.id())).contains(snapshot(revoked).json());
        assertThat(eventsOf(session)).hasSize(1);
    }

    @Test
    @DisplayName("a failed publication leaves neither snapshot nor event, and publishing again writes both")
    void allOrNothing() {
        DeviceSession session = newSession();
        breakPublishing();
        try {
            assertThatThrownBy(() -> publisher.publish(snapshot(session)))
                    .isInstanceOf(DependencyUnavailableException.class);
            assertThat(view.snapshot(session.id())).isEmpty();
        } finally {
            repairPublishing();
        }
        assertThat(eventsOf(session)).isEmpty();

        assertThat(publisher.publish(snapshot(session))).isEqualTo(PublishOutcome.APPLIED);
        assertThat(view.snapshot(session.id())).contains(snapshot(session).json());
        assertThat(eventsOf(session)).hasSize(1);
    }

    @Test
    @DisplayName("a failed revocation leaves the active projection untouched until it is published again")
    void failedRevocationKeepsActive() {
        DeviceSession session = newSession();
        publisher.publish(snapshot(session));
        DeviceSession revoked = session.revokedAt(clock.instant(), "logout");
        breakPublishing();
        try {
            assertThatThrownBy(() -> publisher.publish(snapshot(revoked)))
                    .isInstanceOf(DependencyUnavailableException.class);
            assertThat(view.snapshot(session.id())).contains(snapshot(session).json());
        } finally {
            repairPublishing();
        }
        assertThat(publisher.publish(snapshot(revoked))).isEqualTo(PublishOutcome.APPLIED);
        assertThat(view.snapshot(session.id())).contains(snapshot(revoked).json());
        assertThat(eventsOf(session)).extracting(ProjectionEvent::revision).containsExactly(1L, 2L);
    }

    @Test
    @DisplayName("publishing several snapshots publishes each, in order")
    void publishAll() {
        DeviceSession a = newSession();
        DeviceSession b = newSession();
        DeviceSession aRevoked = a.revokedAt(clock.instant(), "x");
        List<PublishOutcome> outcomes = publisher.publishAll(List.of(snapshot(a), snapshot(b), snapshot(aRevoked)));
        assertThat(outcomes).containsExactly(PublishOutcome.APPLIED, PublishOutcome.APPLIED, PublishOutcome.APPLIED);
        assertThat(view.snapshot(a.id())).contains(snapshot(aRevoked).json());
        assertThat(view.snapshot(b.id())).contains(snapshot(b).json());
        assertThat(publisher.publishAll(List.of(snapshot(a), snapshot(b))))
                .containsExactly(PublishOutcome.STALE, PublishOutcome.STALE);
    }

    @Test
    @DisplayName("publishing several snapshots reports a failure")
    void publishAllFails() {
        DeviceSession a = newSession();
        breakPublishing();
        try {
            assertThatThrownBy(() -> publisher.publishAll(List.of(snapshot(a), snapshot(newSession()))))
                    .isInstanceOf(DependencyUnavailableException.class);
        } finally {
            repairPublishing();
        }
        assertThat(view.snapshot(a.id())).isEmpty();
    }

    @Test
    @DisplayName("concurrent publications of shuffled revisions end at the highest, with events in rising order")
    void concurrentRevisions() {
        DeviceSession base = newSession();
        List<SessionSnapshot> revisions = new ArrayList<>();
        for (long revision = 1; revision <= 24; revision++) {
            revisions.add(snapshot(new DeviceSession(base.id(), base.userId(), base.status(), base.createdAt(),
                    base.expiresAt(), base.lifetimeCap(), revision, base.revokedAt(), base.revokeReason(),
                    base.deviceName(), base.clientPublicKey())));
        }
        Collections.shuffle(revisions);
        ConcurrentLinkedQueue<SessionSnapshot> queue = new ConcurrentLinkedQueue<>(revisions);
        AtomicInteger applied = new AtomicInteger();
        Concurrently.run(24, () -> {
            if (publisher.publish(queue.remove()) == PublishOutcome.APPLIED) {
                applied.incrementAndGet();
            }
            return null;
        });
        assertThat(view.snapshot(base.id())).contains(revisions.stream()
                .filter(s -> s.session().revision() == 24).findFirst().orElseThrow().json());
        List<Long> eventRevisions = eventsOf(base).stream().map(ProjectionEvent::revision).toList();
        assertThat(eventRevisions).hasSize(applied.get()).isSorted().doesNotHaveDuplicates().endsWith(24L);
    }

    @Test
    @DisplayName("ping answers when the medium is up")
    void ping() {
        assertThatCode(publisher::ping).doesNotThrowAnyException();
    }
}
