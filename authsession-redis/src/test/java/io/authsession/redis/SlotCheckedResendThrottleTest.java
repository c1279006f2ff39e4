package io.authsession.redis;

import org.junit.jupiter.api.DisplayName;

@DisplayName("the ResendThrottle contract with every script checked for keys outside its slot")
class SlotCheckedResendThrottleTest extends RedisResendThrottleTest {
    @Override
    TestKeyspace newKeyspace() {
        return TestKeyspace.slotChecked();
    }
}
