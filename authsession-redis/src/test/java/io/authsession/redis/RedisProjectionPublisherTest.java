package io.authsession.redis;

import io.authsession.core.port.ProjectionPublisher;
import io.authsession.testkit.ProjectionPublisherContract;
import io.authsession.testkit.ProjectionView;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

class RedisProjectionPublisherTest extends ProjectionPublisherContract {
    private final TestKeyspace redis = newKeyspace();

    /** Where the contract runs: the standalone test server here, the cluster in a subclass. */
    TestKeyspace newKeyspace() {
        return new TestKeyspace();
    }

    @Override
    protected ProjectionPublisher createPublisher(Clock clock) {
        return redis.adapters(clock).projectionPublisher();
    }

    @Override
    protected ProjectionView view() {
        return new RedisProjectionView(redis.raw(), redis.keys());
    }

    /** The stream key moves aside and a plain string takes its place: XADD then fails with WRONGTYPE. */
    @Override
    protected void breakPublishing() {
        String stream = redis.keys().gatewayStream();
        if (redis.raw().exists(stream)) {
            redis.raw().rename(stream, stream + ":aside");
        }
        redis.raw().set(stream, "not a stream");
    }

    @Override
    protected void repairPublishing() {
        String stream = redis.keys().gatewayStream();
        redis.raw().del(stream);
        if (redis.raw().exists(stream + ":aside")) {
            redis.raw().rename(stream + ":aside", stream);
        }
    }

    @AfterEach
    void close() throws Exception {
        redis.close();
    }
}
