package io.authsession.testkit;

import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.ResendThrottle;
import java.time.Clock;

class InMemoryResendThrottleTest extends ResendThrottleContract {
    private InMemoryChallengeStore challenges;

    @Override
    protected ResendThrottle createThrottle(Clock clock) {
        challenges = new InMemoryChallengeStore(clock);
        return new InMemoryResendThrottle(clock, challenges);
    }

    @Override
    protected ChallengeStore budgetCounter() {
        return challenges;
    }
}
