package io.authsession.redis;

import org.junit.jupiter.api.DisplayName;

@DisplayName("the SessionStore contract with every script checked for keys outside its slot")
class SlotCheckedSessionStoreTest extends RedisSessionStoreTest {
    @Override
    TestKeyspace newKeyspace() {
        return TestKeyspace.slotChecked();
    }
}
