package io.authsession.redis;

import org.junit.jupiter.api.DisplayName;

@DisplayName("the ProjectionPublisher contract with every script checked for keys outside its slot")
class SlotCheckedProjectionPublisherTest extends RedisProjectionPublisherTest {
    @Override
    TestKeyspace newKeyspace() {
        return TestKeyspace.slotChecked();
    }
}
