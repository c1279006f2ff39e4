package io.authsession.core.port;

import io.authsession.core.port.SessionSnapshot;
import io.authsession.core.error.DependencyUnavailableException;
import java.util.ArrayList;
import java.util.List;

/**
 * Projects sessions for the API gateway: a snapshot per session and an event per published revision.
 *
 * <p>A publication is ordered and all or nothing: a revision not greater than the one already projected changes
 * nothing, and a failed publication leaves neither the snapshot nor the event, so publishing again repairs it.
 */
public interface ProjectionPublisher {

    /** Publishes one revision of a session. */
    PublishOutcome publish(SessionSnapshot snapshot);

    /**
     * Publishes several snapshots. Every snapshot is attempted even when one fails; then the first failure is
     * thrown. Adapters may batch the round trips.
     */
    default List<PublishOutcome> publishAll(List<SessionSnapshot> snapshots) {
        List<PublishOutcome> outcomes = new ArrayList<>(snapshots.size());
        DependencyUnavailableException failure = null;
        for (SessionSnapshot snapshot : snapshots) {
            try {
                outcomes.add(publish(snapshot));
            } catch (DependencyUnavailableException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return outcomes;
    }

    /** Checks that the medium answers; throws when it does not. */
    void ping();
}
