package io.authsession.core.port;

import io.authsession.core.domain.DeviceSession;
import java.util.List;

/**
 * What {@link SessionStore#listByUser} found.
 *
 * @param sessions the sessions, newest first, as seen by the store's clock
 * @param lostRecords index entries dropped because their record was gone before its purge time (evicted, or deleted
 *     behind the service's back): users logged out early, which the operator must hear of
 */
public record SessionListing(List<DeviceSession> sessions, int lostRecords) {
    public SessionListing {
        sessions = List.copyOf(sessions);
        if (lostRecords < 0) {
            throw new IllegalArgumentException("lost records must not be negative");
        }
    }
}
