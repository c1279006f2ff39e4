package io.authsession.testkit;

import java.util.Objects;

/**
 * One event of the gateway stream, as the gateway reads it.
 *
 * @param deviceSessionId field {@code device_session_id}
 * @param userId field {@code user_id}
 * @param status field {@code status}
 * @param revision field {@code revision}
 * @param snapshot field {@code snapshot}: the exact string stored in the snapshot key
 */
public record ProjectionEvent(String deviceSessionId, String userId, String status, long revision, String snapshot) {
    public ProjectionEvent {
        Objects.requireNonNull(deviceSessionId, "deviceSessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(snapshot, "snapshot");
    }
}
