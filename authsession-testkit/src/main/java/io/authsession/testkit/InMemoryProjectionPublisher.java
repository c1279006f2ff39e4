package io.authsession.testkit;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.port.SessionSnapshot;
import io.authsession.core.port.ProjectionPublisher;
import io.authsession.core.port.PublishOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A {@link ProjectionPublisher} in memory that the gateway side can read through {@link ProjectionView}. */
public final class InMemoryProjectionPublisher implements ProjectionPublisher, ProjectionView {
    private final Clock clock;
    private final Map<String, Stored> snapshots = new HashMap<>();
    private final List<ProjectionEvent> events = new ArrayList<>();
    private final Faults faults = new Faults("projection");

    public InMemoryProjectionPublisher(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The next {@code calls} publications fail, leaving neither snapshot nor event. */
    public void failNextCalls(int calls) {
        faults.failNext(calls);
    }

    @Override
    public synchronized PublishOutcome publish(SessionSnapshot snapshot) {
        faults.check();
        DeviceSession session = snapshot.session();
        Stored current = live(session.id());
        if (current != null && current.revision >= session.revision()) {
            return PublishOutcome.STALE;
        }
        snapshots.put(session.id(), new Stored(snapshot.json(), session.revision(), snapshot.expiresAt()));
        events.add(new ProjectionEvent(session.id(), session.userId(), session.status().wireName(),
                session.revision(), snapshot.json()));
        return PublishOutcome.APPLIED;
    }

    @Override
    public void ping() {
        faults.check();
    }

    @Override
    public synchronized Optional<String> snapshot(String deviceSessionId) {
        return Optional.ofNullable(live(deviceSessionId)).map(Stored::json);
    }

    @Override
    public synchronized Optional<Duration> snapshotTimeToLive(String deviceSessionId) {
        return Optional.ofNullable(live(deviceSessionId))
                .flatMap(Stored::expiresAt)
                .map(expiresAt -> Duration.between(clock.instant(), expiresAt));
    }

    @Override
    public synchronized List<ProjectionEvent> events() {
        return List.copyOf(events);
    }

    private Stored live(String deviceSessionId) {
        Stored stored = snapshots.get(deviceSessionId);
        if (stored != null && stored.expiresAt.isPresent() && !clock.instant().isBefore(stored.expiresAt.get())) {
            snapshots.remove(deviceSessionId);
            return null;
        }
        return stored;
    }

    private record Stored(String json, long revision, Optional<Instant> expiresAt) {}
}
