package io.authsession.core.domain;

import java.util.Set;

/** The revoke reasons the service itself records; callers may give any other reason of their own. */
public final class RevokeReasons {
    /** A revocation that named no reason. */
    public static final String UNSPECIFIED = "unspecified";
    /** Revoked to make room for a new session under {@code max_active_sessions_per_user}. */
    public static final String SESSION_LIMIT = "session_limit";
    /** Revoked because the user was blocked. */
    public static final String USER_BLOCKED = "user_blocked";
    /** Every reason above. */
    public static final Set<String> OF_THE_SERVICE = Set.of(UNSPECIFIED, SESSION_LIMIT, USER_BLOCKED);

    private RevokeReasons() {}
}
