package io.authsession.testkit;

import io.authsession.core.port.ProjectionPublisher;
import java.time.Clock;

class InMemoryProjectionPublisherTest extends ProjectionPublisherContract {
    private InMemoryProjectionPublisher fake;

    @Override
    protected ProjectionPublisher createPublisher(Clock clock) {
        fake = new InMemoryProjectionPublisher(clock);
        return fake;
    }

    @Override
    protected ProjectionView view() {
        return fake;
    }

    @Override
    protected void breakPublishing() {
        fake.failNextCalls(Integer.MAX_VALUE);
    }

    @Override
    protected void repairPublishing() {
        fake.failNextCalls(0);
    }
}
