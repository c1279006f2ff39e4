package io.authsession.testkit;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RevokeReasons;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.port.Revocation;
import io.authsession.core.port.SessionCreation;
import io.authsession.core.port.SessionStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A {@link SessionStore} in memory; every operation holds one lock, which makes each atomic. */
public final class InMemorySessionStore implements SessionStore {
    private final Clock clock;
    private final Map<String, Entry> sessions = new HashMap<>();
    private final Faults faults = new Faults("session_store");

    public InMemorySessionStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The next {@code calls} operations fail as if Redis were down. */
    public void failNextCalls(int calls) {
        faults.failNext(calls);
    }

    /** A plain random id: this store needs no layout hint. */
    @Override
    public String newSessionId(String userId) {
        return RandomIds.next();
    }

    @Override
    public synchronized SessionCreation create(DeviceSession session, int maxActiveSessions, Instant revokedPurgeAt) {
        faults.check();
        Optional<DeviceSession> existing = live(session.id());
        if (existing.isPresent()) {
            List<DeviceSession> revoked = userSessions(session.userId()).stream()
                    .filter(other -> !other.isActive() && !other.id().equals(session.id()))
                    .sorted(DeviceSession.NEWEST_FIRST)
                    .toList();
            return new SessionCreation(existing.get(), false, revoked);
        }
        sessions.put(session.id(), new Entry(session, Optional.empty()));
        List<DeviceSession> revoked = new ArrayList<>();
        if (maxActiveSessions > 0) {
            List<DeviceSession> others = userSessions(session.userId()).stream()
                    .filter(DeviceSession::isActive)
                    .filter(other -> !other.id().equals(session.id()))
                    .sorted(DeviceSession.NEWEST_FIRST.reversed())
                    .toList();
            for (int i = 0; i < others.size() - (maxActiveSessions - 1); i++) {
                DeviceSession limited = others.get(i).revokedAt(session.createdAt(), RevokeReasons.SESSION_LIMIT);
                sessions.put(limited.id(), new Entry(limited, Optional.of(revokedPurgeAt)));
                revoked.add(limited);
            }
        }
        return new SessionCreation(session, true, revoked);
    }

    @Override
    public synchronized Optional<DeviceSession> find(String deviceSessionId) {
        faults.check();
        return live(deviceSessionId);
    }

    @Override
    public synchronized List<DeviceSession> listByUser(String userId, Optional<SessionStatus> status) {
        faults.check();
        return userSessions(userId).stream()
                .filter(session -> status.isEmpty() || session.status() == status.get())
                .sorted(DeviceSession.NEWEST_FIRST)
                .toList();
    }

    @Override
    public synchronized Optional<Revocation> revoke(String deviceSessionId, String reason, Instant at, Instant purgeAt) {
        faults.check();
        return live(deviceSessionId).map(session -> revokeLocked(session, reason, at, purgeAt));
    }

    @Override
    public synchronized List<Revocation> revokeAllActive(String userId, String reason, Instant at, Instant purgeAt) {
        faults.check();
        return userSessions(userId).stream()
                .sorted(DeviceSession.NEWEST_FIRST)
                .map(session -> revokeLocked(session, reason, at, purgeAt))
                .toList();
    }

    @Override
    public void ping() {
        faults.check();
    }

    private Revocation revokeLocked(DeviceSession session, String reason, Instant at, Instant purgeAt) {
        if (!session.isActive()) {
            return new Revocation(session, false);
        }
        DeviceSession revoked = session.revokedAt(at, reason);
        sessions.put(revoked.id(), new Entry(revoked, Optional.of(purgeAt)));
        return new Revocation(revoked, true);
    }

    private List<DeviceSession> userSessions(String userId) {
        sessions.values().removeIf(this::isPurged);
        return sessions.values().stream()
                .map(Entry::session)
                .filter(session -> session.userId().equals(userId))
                .toList();
    }

    private Optional<DeviceSession> live(String deviceSessionId) {
        Entry entry = sessions.get(deviceSessionId);
        if (entry == null || isPurged(entry)) {
            return Optional.empty();
        }
        return Optional.of(entry.session);
    }

    private boolean isPurged(Entry entry) {
        return entry.purgeAt.isPresent() && !clock.instant().isBefore(entry.purgeAt.get());
    }

    private record Entry(DeviceSession session, Optional<Instant> purgeAt) {}
}
