package io.authsession.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.domain.DeviceSession;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeviceSessionJsonTest {
    private static final Instant CREATED = Instant.parse("2026-11-22T10:15:30.123456Z");

    @Test
    @DisplayName("an active session without optional fields omits them")
    void active() {
        DeviceSession session = DeviceSession.active("s1", "u1", CREATED, Optional.empty(), Optional.empty());
        assertThat(DeviceSessionJson.write(session)).isEqualTo(
                "{\"device_session_id\":\"s1\",\"user_id\":\"u1\",\"status\":\"active\","
                        + "\"created_at\":\"2026-11-22T10:15:30.123Z\",\"revision\":1}");
    }

    @Test
    @DisplayName("a revoked session carries every field, with milliseconds even when they are zero")
    void revoked() {
        DeviceSession session = DeviceSession.active("s1", "u1", CREATED, Optional.of("Pixel 8"),
                Optional.of("AAAA")).revokedAt(Instant.parse("2026-11-23T00:00:00Z"), "logout");
        assertThat(DeviceSessionJson.write(session)).isEqualTo(
                "{\"device_session_id\":\"s1\",\"user_id\":\"u1\",\"status\":\"revoked\","
                        + "\"created_at\":\"2026-11-22T10:15:30.123Z\",\"revision\":2,"
                        + "\"revoked_at\":\"2026-11-23T00:00:00.000Z\",\"revoke_reason\":\"logout\","
                        + "\"device_name\":\"Pixel 8\",\"client_public_key\":\"AAAA\"}");
    }

    @Test
    @DisplayName("quotes, backslashes, control characters and line separators are escaped")
    void escaping() {
        DeviceSession session = DeviceSession.active("s1", "u1", CREATED,
                Optional.of("Bob's \"phone\" \\ \n\t\u0001\u2028é"), Optional.empty());
        assertThat(DeviceSessionJson.write(session)).contains(
                "\"device_name\":\"Bob's \\\"phone\\\" \\\\ \\n\\t\\u0001\\u2028é\"");
    }
}
