package io.authsession.redis;

import io.authsession.core.error.InvalidSettingException;
import io.authsession.redis.KeyWalk.Cursor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.XAddParams;

/**
 * The operator's side of the Redis data (CONTRACT §10, {@code admin}): the mass logout, the audit and repair of the
 * key layout, the runtime settings hash and the audit trail. It walks keys with {@code SCAN} (never {@code KEYS}) in
 * batches, on the same key layout ({@code RedisKeys}) as the adapters, and changes sessions only through the
 * service's own scripts, so that every revocation it makes is projected like one made over HTTP.
 *
 * <p>Obtained from {@link RedisAdapters#maintenance()}; shares its connection pool.
 */
public final class RedisMaintenance {
    /** The approximate length the audit trail stream is trimmed to. */
    public static final long AUDIT_MAX_LENGTH = 10_000;

    private final RedisCommands commands;
    private final RedisKeys keys;
    private final MassLogout massLogout;
    private final KeyAudit audit;

    RedisMaintenance(RedisCommands commands, RedisKeys keys, Clock clock, RedisSessionStore sessions,
            RedisProjectionPublisher publisher) {
        this(commands, keys, clock, sessions, publisher, KeyWalk.primaries(commands));
    }

    RedisMaintenance(RedisCommands commands, RedisKeys keys, Clock clock, RedisSessionStore sessions,
            RedisProjectionPublisher publisher, KeyWalk.Nodes nodes) {
        this.commands = commands;
        this.keys = keys;
        KeyWalk walk = new KeyWalk(nodes);
        this.massLogout = new MassLogout(commands, keys, clock, walk, sessions, publisher);
        this.audit = new KeyAudit(commands, keys, clock, walk, publisher);
    }

    // ---- runtime settings hash (CONTRACT §5) ----

    /** The name of the runtime settings hash, for messages. */
    public String runtimeSettingsKey() {
        return keys.config();
    }

    /** The fields of the runtime settings hash as stored (raw text, valid or not). */
    public Map<String, String> runtimeSettingsHash() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(
                commands.run("read runtime settings", client -> client.hgetAll(keys.config()))));
    }

    /** Writes one field of the runtime settings hash; the caller has validated it as the service reads it. */
    public void setRuntimeSetting(String field, String value) {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        commands.run("write runtime setting", client -> client.hset(keys.config(), field, value));
    }

    /** Removes one field of the runtime settings hash; whether it was there. */
    public boolean unsetRuntimeSetting(String field) {
        Objects.requireNonNull(field, "field");
        return commands.run("remove runtime setting", client -> client.hdel(keys.config(), field)) > 0;
    }

    // ---- audit trail ----

    /** The name of the audit trail stream ({@code <prefix>audit}). */
    public String auditStreamKey() {
        return keys.audit();
    }

    /**
     * Appends one entry to the audit trail, trimmed to about {@link #AUDIT_MAX_LENGTH} entries.
     *
     * @return the entry's stream id
     */
    public String appendAudit(Map<String, String> fields) {
        Objects.requireNonNull(fields, "fields");
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("an audit entry needs at least one field");
        }
        return commands.run("append audit entry", client -> client.xadd(keys.audit(),
                XAddParams.xAddParams().maxLen(AUDIT_MAX_LENGTH).approximateTrimming(), fields)).toString();
    }

    // ---- gateway projection ----

    /**
     * What the gateway snapshot key holds for a session, if anything.
     *
     * @param json the stored string
     * @param timeToLive what is left of its TTL; empty when it has none
     */
    public record GatewaySnapshot(String json, Optional<Duration> timeToLive) {
        public GatewaySnapshot {
            Objects.requireNonNull(json, "json");
            Objects.requireNonNull(timeToLive, "timeToLive");
        }
    }

    /** The gateway snapshot of a session, read with its remaining TTL. */
    public Optional<GatewaySnapshot> gatewaySnapshot(String deviceSessionId) {
        Objects.requireNonNull(deviceSessionId, "deviceSessionId");
        String key = keys.gatewaySnapshot(deviceSessionId);
        return commands.run("read gateway snapshot", client -> {
            try (AbstractPipeline pipeline = client.pipelined()) {
                Response<String> json = pipeline.get(key);
                Response<Long> pttl = pipeline.pttl(key);
                pipeline.sync();
                if (json.get() == null) {
                    return Optional.<GatewaySnapshot>empty();
                }
                return Optional.of(new GatewaySnapshot(json.get(),
                        pttl.get() >= 0 ? Optional.of(Duration.ofMillis(pttl.get())) : Optional.empty()));
            }
        });
    }

    // ---- mass logout ----

    /**
     * Checks a {@code --resume} cursor.
     *
     * @throws InvalidSettingException {@code resume}, naming the expected form
     */
    public static void checkCursor(String cursor) {
        Cursor.parse(Objects.requireNonNull(cursor, "cursor"));
    }

    /**
     * Users with at least one active session, and their active sessions (active by the service clock: an expired
     * session that still waits in its index is not counted).
     */
    public record ActiveCount(long users, long sessions) {}

    /** Counts the active sessions of the whole keyspace, walking the per-user active indexes {@code batch} at a time. */
    public ActiveCount countActive(int batch) {
        return massLogout.count(positive(batch, "batch"));
    }

    /**
     * A mass logout.
     *
     * @param reason the revoke reason recorded on every session
     * @param batchUsers about how many users each round trip revokes (whole {@code SCAN} pages are taken)
     * @param pause the pause between batches, so that the service keeps its latency
     * @param revokedRetention how long revoked sessions stay readable (the service's setting)
     * @param resumeFrom the cursor an interrupted run printed
     */
    public record MassLogoutRequest(String reason, int batchUsers, Duration pause, Duration revokedRetention,
            Optional<String> resumeFrom) {
        public MassLogoutRequest {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(pause, "pause");
            Objects.requireNonNull(revokedRetention, "revokedRetention");
            Objects.requireNonNull(resumeFrom, "resumeFrom");
            positive(batchUsers, "batch");
            if (pause.isNegative()) {
                throw new InvalidSettingException("pause", "must not be negative");
            }
            resumeFrom.ifPresent(RedisMaintenance::checkCursor);
        }
    }

    /** Where a mass logout stands after a batch: users walked, sessions revoked, publications applied. */
    public record MassLogoutProgress(long users, long revoked, long published, String cursor) {}

    /**
     * How a mass logout ended.
     *
     * @param complete whether every active index was walked
     * @param resumeCursor when not complete, the cursor to resume from ({@code --resume})
     * @param failure when a dependency failed (after retries), what failed
     */
    public record MassLogoutResult(long users, long revoked, long published, boolean complete,
            Optional<String> resumeCursor, Optional<String> failure) {}

    /**
     * Revokes every active session, a batch of users at a time, each through the service's revoke-all script, the
     * batch's publications pipelined. Stops after the batch in flight when {@code stop} answers true, or when Redis
     * keeps failing; either way the result holds the cursor to resume from. Running it again revokes nothing twice.
     *
     * @param progress hears of every batch done
     */
    public MassLogoutResult revokeEveryone(MassLogoutRequest request, Consumer<MassLogoutProgress> progress,
            BooleanSupplier stop) {
        return massLogout.run(Objects.requireNonNull(request, "request"), Objects.requireNonNull(progress, "progress"),
                Objects.requireNonNull(stop, "stop"));
    }

    // ---- audit and repair ----

    /** What kind of key a name is, by the key layout (docs/redis.md). */
    public enum KeyKind {
        SESSION("session"),
        USER_ACTIVE("user-active index"),
        USER_REVOKED("user-revoked index"),
        CHALLENGE("challenge"),
        RESEND_WINDOW("resend window"),
        FAILED_GUESSES("failed-guess window"),
        CONFIG("runtime settings"),
        AUDIT("audit trail"),
        REPLICA_MARKER("durable-write marker"),
        GATEWAY_SNAPSHOT("gateway snapshot"),
        GATEWAY_STREAM("gateway event stream"),
        UNKNOWN("unknown");

        private final String label;

        KeyKind(String label) {
            this.label = label;
        }

        /** A name for tables, for example {@code user-active index}. */
        public String label() {
            return label;
        }
    }

    /** A kind of problem the audit finds. */
    public enum Problem {
        MISSING_TTL("key without the TTL it needs"),
        DANGLING_INDEX_ENTRY("index entry whose record is gone"),
        NOT_INDEXED("record missing from its user's index"),
        SNAPSHOT_DISAGREES("gateway snapshot disagrees with the source of truth"),
        SNAPSHOT_MISSING("session without a gateway snapshot"),
        UNKNOWN_KEY("key of unknown shape under the prefix"),
        WRONG_TYPE("key of the wrong type for its name"),
        INVALID_RECORD("record that cannot be read"),
        INVALID_SETTING("invalid field in the runtime settings hash");

        private final String description;

        Problem(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** What became of a finding. */
    public enum Repair {
        /** No repair was asked for. */
        NOT_ATTEMPTED,
        FIXED,
        /** The repair could not fix it; the finding's note says why. */
        NOT_FIXED
    }

    /**
     * One problem.
     *
     * @param key the key it is about (it may contain a device session id: show {@code deviceSessionId} only as a
     *     fingerprint)
     * @param deviceSessionId the session it concerns, if any
     * @param detail what exactly is wrong
     * @param repair whether the repair fixed it
     * @param note why it could not be fixed, or what was done
     */
    public record Finding(Problem problem, String key, Optional<String> deviceSessionId, String detail, Repair repair,
            String note) {
        public Finding {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(deviceSessionId, "deviceSessionId");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(repair, "repair");
            Objects.requireNonNull(note, "note");
        }

        Finding repaired(Repair outcome, String what) {
            return new Finding(problem, key, deviceSessionId, detail, outcome, what);
        }
    }

    /** How many keys of a kind there are, and about how much memory they take ({@code MEMORY USAGE} of a sample). */
    public record KindUsage(long keys, long approximateBytes) {}

    /**
     * An audit.
     *
     * @param repair whether to fix what can be fixed
     * @param batch keys per {@code SCAN} page and per pipeline; findings per repair batch
     * @param pause the pause between batches
     * @param samplePerKind how many keys of each kind get a {@code MEMORY USAGE}
     * @param revokedRetention the service's revoked-session retention (the lifetime of a republished revoked snapshot)
     * @param repairReason the revoke reason of a snapshot revoked because its session is gone
     */
    public record AuditRequest(boolean repair, int batch, Duration pause, int samplePerKind, Duration revokedRetention,
            String repairReason) {
        public AuditRequest {
            Objects.requireNonNull(pause, "pause");
            Objects.requireNonNull(revokedRetention, "revokedRetention");
            Objects.requireNonNull(repairReason, "repairReason");
            positive(batch, "batch");
            if (samplePerKind < 0) {
                throw new InvalidSettingException("sample", "must not be negative, got " + samplePerKind);
            }
            if (pause.isNegative()) {
                throw new InvalidSettingException("pause", "must not be negative");
            }
        }
    }

    /**
     * What the audit saw.
     *
     * @param usage keys and approximate memory by kind (kinds that have no key are left out)
     * @param findings every problem found (confirmed by a second look), with its repair
     * @param keysScanned how many key names the walks returned
     */
    public record AuditReport(Map<KeyKind, KindUsage> usage, List<Finding> findings, long keysScanned) {
        public AuditReport {
            Map<KeyKind, KindUsage> kinds = new EnumMap<>(KeyKind.class);
            kinds.putAll(usage);
            usage = Collections.unmodifiableMap(kinds);
            findings = List.copyOf(findings);
        }

        /** The findings the repair did not fix (all of them without a repair). */
        public List<Finding> unresolved() {
            List<Finding> open = new ArrayList<>();
            for (Finding finding : findings) {
                if (finding.repair() != Repair.FIXED) {
                    open.add(finding);
                }
            }
            return open;
        }
    }

    /**
     * Walks authsession's prefix and the gateway snapshot prefix with {@code SCAN}, {@code batch} keys at a time:
     * counts keys and memory by kind and finds the problems of {@link Problem}; each finding is looked at a second
     * time before it is reported, so that a change in flight is not one. With {@code repair}, fixes what it can in
     * batches, through the service's scripts and the projection publisher.
     *
     * @param scanned hears the number of keys walked so far, after every page
     */
    public AuditReport audit(AuditRequest request, LongConsumer scanned) {
        return audit.run(Objects.requireNonNull(request, "request"), Objects.requireNonNull(scanned, "scanned"));
    }

    private static int positive(int value, String name) {
        if (value < 1) {
            throw new InvalidSettingException(name, "must be at least 1, got " + value);
        }
        return value;
    }
}
