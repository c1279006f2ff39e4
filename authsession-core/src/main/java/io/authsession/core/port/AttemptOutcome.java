package io.authsession.core.port;

/** What {@link ChallengeStore#recordFailedAttempt} did. */
public enum AttemptOutcome {
    /** The wrong code was counted. */
    COUNTED,
    /** Nothing counted: the challenge already had its maximum of failed attempts. */
    TOO_MANY_ATTEMPTS,
    /** Nothing counted: the pending challenge has expired. */
    EXPIRED,
    /** Nothing counted: there is no such challenge. */
    NOT_FOUND
}
