package io.authsession.testkit;

import io.authsession.core.port.ChallengeStore;
import java.time.Clock;

class InMemoryChallengeStoreTest extends ChallengeStoreContract {
    @Override
    protected ChallengeStore createStore(Clock clock) {
        return new InMemoryChallengeStore(clock);
    }
}
