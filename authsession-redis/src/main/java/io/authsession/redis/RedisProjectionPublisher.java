package io.authsession.redis;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.port.SessionSnapshot;
import io.authsession.core.port.ProjectionPublisher;
import io.authsession.core.port.PublishOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The gateway projection: one script writes the snapshot key and appends the event, ordered by revision. With
 * replicas to wait for (durable revocations), every publication waits for them too: a revocation the gateway cannot
 * see after a failover would not be one.
 */
final class RedisProjectionPublisher implements ProjectionPublisher {
    private final RedisCommands redis;
    private final RedisKeys keys;
    private final Clock clock;
    private final String maxLength;

    RedisProjectionPublisher(RedisCommands redis, RedisKeys keys, Clock clock, long maxLength) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
        this.maxLength = Long.toString(maxLength);
    }

    @Override
    public PublishOutcome publish(SessionSnapshot snapshot) {
        return outcome(redis.evalDurable("publish projection", LuaScript.PROJECTION_PUBLISH, keysOf(snapshot),
                argsOf(snapshot)));
    }

    /**
     * One round trip for all snapshots: they share the gateway's names, so one slot on a cluster (the gateway's hash
     * tag). With replicas to wait for, that round trip ends with {@code WAIT}.
     */
    @Override
    public List<PublishOutcome> publishAll(List<SessionSnapshot> snapshots) {
        return redis.evalPipelined("publish projection", LuaScript.PROJECTION_PUBLISH,
                        snapshots.stream().map(this::keysOf).toList(), snapshots.stream().map(this::argsOf).toList(),
                        true)
                .stream()
                .map(RedisProjectionPublisher::outcome)
                .toList();
    }

    @Override
    public void ping() {
        redis.ping();
    }

    private List<String> keysOf(SessionSnapshot snapshot) {
        return List.of(keys.gatewaySnapshot(snapshot.session().id()), keys.gatewayStream());
    }

    private List<String> argsOf(SessionSnapshot snapshot) {
        DeviceSession session = snapshot.session();
        Instant now = clock.instant();
        String ttl = snapshot.expiresAt().map(expiresAt -> RedisReplies.ttlMillis(expiresAt, now)).orElse("0");
        return List.of(Long.toString(session.revision()), snapshot.json(), ttl, maxLength, session.id(),
                session.userId(), session.status().wireName());
    }

    private static PublishOutcome outcome(Object reply) {
        return Long.valueOf(1).equals(reply) ? PublishOutcome.APPLIED : PublishOutcome.STALE;
    }
}
