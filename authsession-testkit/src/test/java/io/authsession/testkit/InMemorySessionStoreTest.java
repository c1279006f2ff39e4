package io.authsession.testkit;

import io.authsession.core.port.SessionStore;
import java.time.Clock;

class InMemorySessionStoreTest extends SessionStoreContract {
    @Override
    protected SessionStore createStore(Clock clock) {
        return new InMemorySessionStore(clock);
    }
}
