package io.authsession.core.port;

import io.authsession.core.domain.EmailAddress;

/** The user service: who owns an address, creating users on first login, and blocking. */
public interface UserDirectory {

    /** Looks the address up without changing anything. */
    UserLookup resolveByEmail(EmailAddress email);

    /** Returns the user of the address, creating it when the address is creatable. */
    EnsuredUser ensureByEmail(EmailAddress email);

    /**
     * Records that the user is blocked.
     *
     * @throws io.authsession.core.error.AuthSessionException with {@code user_not_found} when the user is unknown
     */
    void block(String userId, String reason);

    /** Checks that the service answers; throws when it does not. */
    void ping();
}
