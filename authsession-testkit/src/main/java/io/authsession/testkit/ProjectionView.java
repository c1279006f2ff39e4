package io.authsession.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What the gateway sees of the projection: snapshot keys and the event stream. */
public interface ProjectionView {

    /** The snapshot string stored for the session, if any. */
    Optional<String> snapshot(String deviceSessionId);

    /** How long the snapshot key has left to live; empty when it has no expiry (or does not exist). */
    Optional<Duration> snapshotTimeToLive(String deviceSessionId);

    /** Every event on the stream, oldest first. */
    List<ProjectionEvent> events();
}
