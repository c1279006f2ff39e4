package io.authsession.core;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The service clock, read at the millisecond precision every store keeps. */
record ServiceClock(Clock clock) {
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
