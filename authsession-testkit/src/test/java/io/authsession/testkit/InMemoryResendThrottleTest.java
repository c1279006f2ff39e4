package io.authsession.testkit;

import io.authsession.core.port.ResendThrottle;
import java.time.Clock;

class InMemoryResendThrottleTest extends ResendThrottleContract {
    @Override
    protected ResendThrottle createThrottle(Clock clock) {
        return new InMemoryResendThrottle(clock);
    }
}
