package io.authsession.redis;

import org.junit.jupiter.api.DisplayName;

@DisplayName("the ChallengeStore contract with every script checked for keys outside its slot")
class SlotCheckedChallengeStoreTest extends RedisChallengeStoreTest {
    @Override
    TestKeyspace newKeyspace() {
        return TestKeyspace.slotChecked();
    }
}
