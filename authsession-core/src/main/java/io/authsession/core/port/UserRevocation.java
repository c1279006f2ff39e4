package io.authsession.core.port;

import java.util.List;

/**
 * What {@link SessionStore#revokeAllActive} did.
 *
 * @param revocations every revoked session of the user after the call, those this call revoked marked as changed
 * @param lostRecords index entries dropped because their record was gone before its purge time
 */
public record UserRevocation(List<Revocation> revocations, int lostRecords) {
    public UserRevocation {
        revocations = List.copyOf(revocations);
        if (lostRecords < 0) {
            throw new IllegalArgumentException("lost records must not be negative");
        }
    }
}
