package io.authsession.testkit;

import io.authsession.core.port.SessionStore;
import java.time.Clock;

class InMemorySessionStoreTest extends SessionStoreContract {
    private InMemorySessionStore fake;

    @Override
    protected SessionStore createStore(Clock clock) {
        fake = new InMemorySessionStore(clock);
        return fake;
    }

    @Override
    protected void loseRecord(String deviceSessionId) {
        fake.loseRecord(deviceSessionId);
    }
}
