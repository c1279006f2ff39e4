package io.authsession.testkit;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RevokeReasons;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.port.Extension;
import io.authsession.core.port.Revocation;
import io.authsession.core.port.SessionCreation;
import io.authsession.core.port.SessionListing;
import io.authsession.core.port.SessionStore;
import io.authsession.core.port.UserRevocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link SessionStore} in memory, with records and a per-user index kept apart as in Redis (so that a test can
 * lose a record behind the store's back, {@link #loseRecord}); every operation holds one lock, which makes each atomic.
 */
public final class InMemorySessionStore implements SessionStore {
    private final Clock clock;
    private final Map<String, Entry> records = new HashMap<>();
    /** Per user: session id to its purge time (empty: kept until revoked), as the index scores it. */
    private final Map<String, Map<String, Optional<Instant>>> index = new HashMap<>();
    private final Faults faults = new Faults("session_store");

    public InMemorySessionStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The next {@code calls} operations fail as if Redis were down. */
    public void failNextCalls(int calls) {
        faults.failNext(calls);
    }

    /** Drops a session's record but not its index entry, as a Redis eviction or a hand-made {@code DEL} would. */
    public synchronized void loseRecord(String deviceSessionId) {
        records.remove(deviceSessionId);
    }

    /** A plain random id: this store needs no layout hint. */
    @Override
    public String newSessionId(String userId) {
        return RandomIds.next();
    }

    @Override
    public synchronized SessionCreation create(DeviceSession session, int maxActiveSessions, Duration retention) {
        faults.check();
        Instant now = clock.instant();
        Optional<DeviceSession> existing = live(session.id(), now);
        if (existing.isPresent()) {
            Walk walk = walk(session.userId(), now);
            List<DeviceSession> revoked = walk.sessions.stream()
                    .filter(other -> other.status() == SessionStatus.REVOKED && !other.id().equals(session.id()))
                    .sorted(DeviceSession.NEWEST_FIRST)
                    .toList();
            return new SessionCreation(existing.get().seenAt(now), false, revoked, walk.lost);
        }
        put(session, session.expiresAt().map(at -> at.plus(retention)));
        List<DeviceSession> revoked = new ArrayList<>();
        int lost = 0;
        if (maxActiveSessions > 0) {
            Walk walk = walk(session.userId(), now);
            lost = walk.lost;
            List<DeviceSession> others = walk.sessions.stream()
                    .filter(other -> other.isActiveAt(now) && !other.id().equals(session.id()))
                    .sorted(DeviceSession.NEWEST_FIRST.reversed())
                    .toList();
            for (int i = 0; i < others.size() - (maxActiveSessions - 1); i++) {
                DeviceSession limited = others.get(i).revokedAt(session.createdAt(), RevokeReasons.SESSION_LIMIT);
                put(limited, Optional.of(session.createdAt().plus(retention)));
                revoked.add(limited);
            }
        }
        return new SessionCreation(session, true, revoked, lost);
    }

    @Override
    public synchronized Optional<DeviceSession> find(String deviceSessionId) {
        faults.check();
        Instant now = clock.instant();
        return live(deviceSessionId, now).map(session -> session.seenAt(now));
    }

    @Override
    public synchronized SessionListing listByUser(String userId, Optional<SessionStatus> status) {
        faults.check();
        Walk walk = walk(userId, clock.instant());
        return new SessionListing(walk.sessions.stream()
                .filter(session -> status.isEmpty() || session.status() == status.get())
                .sorted(DeviceSession.NEWEST_FIRST)
                .toList(), walk.lost);
    }

    @Override
    public synchronized Optional<Revocation> revoke(String deviceSessionId, String reason, Instant at,
            Duration retention) {
        faults.check();
        Instant now = clock.instant();
        return live(deviceSessionId, now).map(session -> revokeLocked(session, reason, at, retention, now));
    }

    @Override
    public synchronized UserRevocation revokeAllActive(String userId, String reason, Instant at, Duration retention) {
        faults.check();
        Instant now = clock.instant();
        Walk walk = walk(userId, now);
        List<Revocation> revocations = walk.sessions.stream()
                .filter(session -> session.status() != SessionStatus.EXPIRED)
                .map(session -> revokeLocked(session, reason, at, retention, now))
                .sorted((a, b) -> DeviceSession.NEWEST_FIRST.compare(a.session(), b.session()))
                .toList();
        return new UserRevocation(revocations, walk.lost);
    }

    @Override
    public synchronized Optional<Extension> extend(String deviceSessionId, Instant now, Duration idleTimeout,
            Duration minimumMove, Duration retention) {
        faults.check();
        Instant readAt = clock.instant();
        return live(deviceSessionId, readAt).map(session -> {
            if (!session.isActiveAt(now)) {
                return new Extension(Extension.Kind.INACTIVE, session.seenAt(now));
            }
            Optional<Instant> target = session.extensionAt(now, idleTimeout, minimumMove);
            if (target.isEmpty()) {
                return new Extension(Extension.Kind.UNCHANGED, session);
            }
            DeviceSession extended = session.extendedTo(target.get());
            put(extended, Optional.of(target.get().plus(retention)));
            return new Extension(Extension.Kind.EXTENDED, extended);
        });
    }

    @Override
    public void ping() {
        faults.check();
    }

    private Revocation revokeLocked(DeviceSession session, String reason, Instant at, Duration retention, Instant now) {
        if (!session.isActiveAt(at)) {
            return new Revocation(session.seenAt(now), false);
        }
        DeviceSession revoked = session.revokedAt(at, reason);
        put(revoked, Optional.of(at.plus(retention)));
        return new Revocation(revoked, true);
    }

    private void put(DeviceSession session, Optional<Instant> purgeAt) {
        records.put(session.id(), new Entry(session, purgeAt));
        index.computeIfAbsent(session.userId(), user -> new LinkedHashMap<>()).put(session.id(), purgeAt);
    }

    /** The user's sessions as seen now; purged entries and entries whose record was lost are dropped. */
    private Walk walk(String userId, Instant now) {
        Map<String, Optional<Instant>> entries = index.getOrDefault(userId, new LinkedHashMap<>());
        List<DeviceSession> sessions = new ArrayList<>();
        int lost = 0;
        for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Optional<Instant>> entry = it.next();
            boolean due = entry.getValue().filter(purgeAt -> !now.isBefore(purgeAt)).isPresent();
            Optional<DeviceSession> session = due ? Optional.empty() : live(entry.getKey(), now);
            if (session.isPresent()) {
                sessions.add(session.get().seenAt(now));
                continue;
            }
            if (!due) {
                lost++;
            }
            records.remove(entry.getKey());
            it.remove();
        }
        return new Walk(sessions, lost);
    }

    private Optional<DeviceSession> live(String deviceSessionId, Instant now) {
        Entry entry = records.get(deviceSessionId);
        if (entry == null || entry.purgeAt.filter(purgeAt -> !now.isBefore(purgeAt)).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(entry.session);
    }

    private record Entry(DeviceSession session, Optional<Instant> purgeAt) {}

    private record Walk(List<DeviceSession> sessions, int lost) {}
}
