package io.authsession.core.port;

import io.authsession.core.domain.DeviceSession;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SessionStore#create} did.
 *
 * @param session the stored session: the new one, or the one that already had the id
 * @param created whether this call stored it
 * @param revoked the user's revoked sessions to publish with it: when this call created the session, those it revoked
 *     for the session limit (oldest first); when the session existed already (a replay), every revoked session of the
 *     user, so that publishing them again repairs a projection that failed (stale revisions change nothing)
 * @param lostRecords index entries the call dropped because their record was gone before its purge time
 */
public record SessionCreation(DeviceSession session, boolean created, List<DeviceSession> revoked, int lostRecords) {
    public SessionCreation {
        Objects.requireNonNull(session, "session");
        revoked = List.copyOf(revoked);
        if (lostRecords < 0) {
            throw new IllegalArgumentException("lost records must not be negative");
        }
    }
}
