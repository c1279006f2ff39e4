package io.authsession.core.port;

/** What {@link ProjectionPublisher#publish} did. */
public enum PublishOutcome {
    /** The snapshot was written and its event appended. */
    APPLIED,
    /** The projection already had this revision or a later one; nothing changed. */
    STALE
}
