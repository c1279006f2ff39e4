package io.authsession.core;

import java.util.Objects;

/**
 * The answer to a successful confirm: the same for the first confirm and every idempotent replay.
 *
 * @param deviceSessionId the session the login created
 * @param userId its owner
 */
public record ConfirmedLogin(String deviceSessionId, String userId) {
    public ConfirmedLogin {
        Objects.requireNonNull(deviceSessionId, "deviceSessionId");
        Objects.requireNonNull(userId, "userId");
    }
}
