package io.authsession.core.port;

import io.authsession.core.domain.RuntimeSettings;

/**
 * The runtime settings (CONTRACT §5). Changes must be visible within five seconds; a missing or invalid field
 * falls back to the environment default.
 */
public interface ConfigProvider {

    /** The settings in force now. Never throws for a passing failure of the medium: the last known settings stay. */
    RuntimeSettings current();

    /** Checks that the medium answers; throws when it does not. */
    void ping();
}
