package io.authsession.core.wire;

import io.authsession.core.domain.DeviceSession;

/**
 * The session JSON of the contract (§3), written in one place so that the internal API and the gateway
 * snapshot are the same string. Optional fields are omitted when unset.
 */
public final class DeviceSessionJson {
    private DeviceSessionJson() {}

    /** The session as a JSON object. */
    public static String write(DeviceSession session) {
        StringBuilder json = new StringBuilder(256).append('{');
        string(json, "device_session_id", session.id());
        json.append(',');
        string(json, "user_id", session.userId());
        json.append(',');
        string(json, "status", session.status().wireName());
        json.append(',');
        string(json, "created_at", Timestamps.format(session.createdAt()));
        session.expiresAt().ifPresent(at -> string(json.append(','), "expires_at", Timestamps.format(at)));
        json.append(",\"revision\":").append(session.revision());
        session.revokedAt().ifPresent(at -> string(json.append(','), "revoked_at", Timestamps.format(at)));
        session.revokeReason().ifPresent(reason -> string(json.append(','), "revoke_reason", reason));
        session.deviceName().ifPresent(name -> string(json.append(','), "device_name", name));
        session.clientPublicKey().ifPresent(key -> string(json.append(','), "client_public_key", key));
        return json.append('}').toString();
    }

    private static void string(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":");
        quote(json, value);
    }

    static void quote(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    // Control characters, and the two separators JavaScript does not accept raw in strings.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
