package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionIdsTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    @DisplayName("ids are of fixed length and carry their owner's hint")
    void shape() {
        String id = SessionIds.newId("user-1", random);
        assertThat(id).hasSize(SessionIds.LENGTH).matches("[A-Za-z0-9_-]+");
        assertThat(SessionIds.belongsTo(id, "user-1")).isTrue();
    }

    @Test
    @DisplayName("the hint is the same for every session of a user and does not contain the user id")
    void hint() {
        String hint = SessionIds.ownerHint("user-1");
        assertThat(SessionIds.ownerHintOf(SessionIds.newId("user-1", random))).isEqualTo(hint).doesNotContain("user");
        assertThat(SessionIds.ownerHint("user-2")).isNotEqualTo(hint);
        assertThat(SessionIds.belongsTo(SessionIds.newId("user-2", random), "user-1")).isFalse();
        assertThat(SessionIds.ownerHintOf("ab")).isEqualTo("ab");
    }
}
