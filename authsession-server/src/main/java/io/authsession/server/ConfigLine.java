package io.authsession.server;

import io.authsession.core.CodeHashKey;
import io.authsession.core.domain.DurationFormat;
import io.authsession.redis.RedisSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code event=config} line logged after the listener lines (CONTRACT §8): the effective settings an operator
 * checks at a glance, none of them secret. Passwords, tokens and keys appear only as whether they are set, or as the
 * keys' fingerprints.
 */
final class ConfigLine {
    private ConfigLine() {}

    static String of(ServerConfig config, RedisSettings redis, CodeHashKey codeHashKey, String telemetry) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("version", Version.current());
        fields.put("dev", Boolean.toString(config.dev()));
        fields.put("redis_mode", config.dev() ? "embedded" : redis.mode().wireName());
        // The server, the sentinels or the cluster's seed nodes.
        fields.put("redis_address", redis.startNodes().stream().map(Object::toString).collect(Collectors.joining(",")));
        redis.sentinelMasterName().ifPresent(master -> fields.put("redis_sentinel_master", master));
        fields.put("redis_db", Integer.toString(redis.database()));
        fields.put("redis_tls", Boolean.toString(redis.tls()));
        fields.put("redis_user", redis.username().orElse("-"));
        fields.put("redis_password", redis.password().isPresent() ? "set" : "unset");
        fields.put("redis_pool_size", Integer.toString(redis.poolSize()));
        fields.put("redis_min_replicas_ack", Integer.toString(redis.minReplicasAck()));
        fields.put("redis_key_prefix", redis.keyPrefix());
        fields.put("gateway_session_key_prefix", redis.gatewaySessionKeyPrefix());
        fields.put("gateway_session_events_stream", redis.gatewayEventsStream());
        fields.put("user_service", config.userService().isPresent() ? "rest" : "stub");
        config.userService().ifPresent(service -> fields.put("user_service_base_url", service.baseUrl().toString()));
        fields.put("mail_service", config.mailService().isPresent() ? "rest" : "stub");
        config.mailService().ifPresent(service -> fields.put("mail_service_base_url", service.baseUrl().toString()));
        fields.put("internal_api_token", config.internalApiToken().isPresent() ? "set" : "unset");
        fields.put("code_hash_key", codeHashKey.fingerprint());
        fields.put("code_hash_key_previous", config.previousCodeHashKey().map(CodeHashKey::fingerprint).orElse("-"));
        fields.put("send_answer_time", DurationFormat.format(config.sendAnswerTime()));
        fields.put("shutdown_timeout", DurationFormat.format(config.shutdownTimeout()));
        fields.put("telemetry", telemetry.equals("off") ? "off" : "on");
        StringBuilder line = new StringBuilder("event=config");
        fields.forEach((name, value) -> line.append(' ').append(name).append('=').append(quoted(value)));
        return line.toString();
    }

    /** A value with a space, a quote or nothing in it is quoted, so that the line still splits into key=value pairs. */
    static String quoted(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)) {
            return value;
        }
        StringBuilder quoted = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                quoted.append(' ');
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }
}
