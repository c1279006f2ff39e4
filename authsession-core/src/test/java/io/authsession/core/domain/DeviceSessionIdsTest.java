package io.authsession.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeviceSessionIdsTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    @DisplayName("ids are URL-safe, of fixed length, unique, and carry their owner's hint")
    void shape() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = DeviceSessionIds.generate("user-1", random);
            assertThat(id).hasSize(DeviceSessionIds.LENGTH).matches("[A-Za-z0-9_-]+");
            assertThat(DeviceSessionIds.belongsTo(id, "user-1")).isTrue();
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    @DisplayName("the hint is the same for every session of a user and does not contain the user id")
    void hint() {
        String hint = DeviceSessionIds.ownerHint("user-1");
        assertThat(DeviceSessionIds.ownerHintOf(DeviceSessionIds.generate("user-1", random))).isEqualTo(hint);
        assertThat(DeviceSessionIds.ownerHint("user-2")).isNotEqualTo(hint);
        assertThat(DeviceSessionIds.belongsTo(DeviceSessionIds.generate("user-2", random), "user-1")).isFalse();
        assertThat(DeviceSessionIds.ownerHintOf("ab")).isEqualTo("ab");
    }
}
