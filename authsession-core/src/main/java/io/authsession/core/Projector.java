package io.authsession.core;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.port.SessionSnapshot;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.port.ProjectionPublisher;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Publishes sessions' current snapshots to the gateway projection. */
final class Projector {
    private static final System.Logger LOG = System.getLogger(Projector.class.getName());

    private final ProjectionPublisher publisher;
    private final Duration revokedRetention;
    private final Telemetry telemetry;
    private final CodeHashKey fingerprints;

    Projector(ProjectionPublisher publisher, Duration revokedRetention, Telemetry telemetry, CodeHashKey fingerprints) {
        this.publisher = publisher;
        this.revokedRetention = revokedRetention;
        this.telemetry = telemetry;
        this.fingerprints = fingerprints;
    }

    /** Publishes every session; throws {@link DependencyUnavailableException} when any publication failed. */
    void publish(List<DeviceSession> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        List<SessionSnapshot> snapshots = sessions.stream()
                .map(session -> SessionSnapshot.of(session, revokedRetention))
                .collect(Collectors.toList());
        try {
            publisher.publishAll(snapshots);
        } catch (DependencyUnavailableException e) {
            telemetry.projectionFailed();
            // Session ids are bearer credentials for a gateway: only their keyed fingerprints reach the log.
            LOG.log(Level.WARNING, () -> "event=projection_failed device_sessions="
                    + sessions.stream().map(s -> fingerprints.fingerprintOf(s.id())).collect(Collectors.joining(","))
                    + " error=\"" + e.getMessage() + "\"");
            throw e;
        }
    }
}
