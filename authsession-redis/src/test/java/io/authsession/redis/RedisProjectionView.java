package io.authsession.redis;

import io.authsession.testkit.ProjectionEvent;
import io.authsession.testkit.ProjectionView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;

/** What a gateway reads from Redis: the snapshot keys and the event stream. */
final class RedisProjectionView implements ProjectionView {
    private final UnifiedJedis redis;
    private final RedisKeys keys;

    RedisProjectionView(UnifiedJedis redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Optional<String> snapshot(String deviceSessionId) {
        return Optional.ofNullable(redis.get(keys.gatewaySnapshot(deviceSessionId)));
    }

    @Override
    public Optional<Duration> snapshotTimeToLive(String deviceSessionId) {
        long ttl = redis.pttl(keys.gatewaySnapshot(deviceSessionId));
        return ttl < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(ttl));
    }

    @Override
    public List<ProjectionEvent> events() {
        if (!"stream".equals(redis.type(keys.gatewayStream()))) {
            return List.of();
        }
        return redis.xrange(keys.gatewayStream(), (StreamEntryID) null, (StreamEntryID) null).stream()
                .map(entry -> {
                    Map<String, String> fields = entry.getFields();
                    return new ProjectionEvent(fields.get("device_session_id"), fields.get("user_id"),
                            fields.get("status"), Long.parseLong(fields.get("revision")), fields.get("snapshot"));
                })
                .toList();
    }
}
