package io.authsession.redis;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.InvalidSettingException;
import io.authsession.core.port.SessionSnapshot;
import io.authsession.redis.KeyWalk.Cursor;
import io.authsession.redis.RedisKeys.Kind;
import io.authsession.redis.RedisKeys.Parsed;
import io.authsession.redis.RedisMaintenance.AuditReport;
import io.authsession.redis.RedisMaintenance.AuditRequest;
import io.authsession.redis.RedisMaintenance.Finding;
import io.authsession.redis.RedisMaintenance.KeyKind;
import io.authsession.redis.RedisMaintenance.KindUsage;
import io.authsession.redis.RedisMaintenance.Problem;
import io.authsession.redis.RedisMaintenance.Repair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import redis.clients.jedis.resps.Tuple;

/**
 * {@code admin keys audit [--repair]}: walks the keys, counts them by kind, finds what disagrees with the layout of
 * docs/redis.md and the projection contract, and repairs what it can through the service's scripts.
 *
 * <p>Each problem is found from one side only: an index's entries are checked for their records, a record for its
 * index membership, its TTL and whether a snapshot exists, a snapshot for its agreement with its record.
 */
final class KeyAudit {
    /** How long the audit waits before its second look at what it found (a change in flight settles by then). */
    private static final Duration SECOND_LOOK = Duration.ofMillis(500);

    private final RedisCommands commands;
    private final RedisKeys keys;
    private final Clock clock;
    private final KeyWalk walk;
    private final RedisProjectionPublisher publisher;

    KeyAudit(RedisCommands commands, RedisKeys keys, Clock clock, KeyWalk walk, RedisProjectionPublisher publisher) {
        this.commands = commands;
        this.keys = keys;
        this.clock = clock;
        this.walk = walk;
        this.publisher = publisher;
    }

    /** How a finding is fixed. */
    private sealed interface Fix {}

    /** Give the key the lifetime its own data names (the expire script). */
    private record Expire(String key) implements Fix {}

    /** Drop an index entry whose record is missing (the index-drop script checks again). */
    private record DropIndexEntry(String index, String sessionPrefix, String id) implements Fix {}

    /** Put the record into the index its status names (the reindex script). */
    private record Reindex(String sessionKey, String taggedPrefix) implements Fix {}

    /** Publish the true snapshot (ordered: a later revision already there wins). */
    private record Publish(DeviceSession truth) implements Fix {}

    /** Delete the snapshot if it still holds {@code value}, then publish {@code truth} when there is one. */
    private record DropSnapshot(String key, String value, Optional<DeviceSession> truth) implements Fix {}

    private record Unlink(String key) implements Fix {}

    private record CannotFix(String why) implements Fix {}

    private record Found(Finding finding, Fix fix) {
        String identity() {
            return finding.problem() + " " + finding.key();
        }
    }

    /** Keys and memory of one kind, as the walk goes. */
    private static final class Usage {
        long keys;
        long sampled;
        long sampledBytes;
    }

    private final class Run {
        final AuditRequest request;
        final Map<KeyKind, Usage> usage = new EnumMap<>(KeyKind.class);
        long scanned;

        Run(AuditRequest request) {
            this.request = request;
        }
    }

    AuditReport run(AuditRequest request, LongConsumer scanned) {
        Run run = new Run(request);
        List<Found> found = new ArrayList<>();
        walk.walk(Cursor.START, keys.everyKeyPattern(), request.batch(), page -> {
            List<String> own = new ArrayList<>();
            for (String key : page.names()) {
                Kind kind = keys.parse(key).kind();
                if (kind != Kind.GATEWAY_SNAPSHOT && kind != Kind.GATEWAY_STREAM) {
                    own.add(key);
                }
            }
            found.addAll(check(own, run, request));
            run.scanned += page.names().size();
            scanned.accept(run.scanned);
            return pause(request.pause());
        });
        walk.walk(Cursor.START, keys.everySnapshotPattern(), request.batch(), page -> {
            List<String> snapshots = new ArrayList<>();
            for (String key : page.names()) {
                if (keys.parse(key).kind() == Kind.GATEWAY_SNAPSHOT) {
                    snapshots.add(key);
                }
            }
            found.addAll(check(snapshots, run, request));
            run.scanned += page.names().size();
            scanned.accept(run.scanned);
            return pause(request.pause());
        });
        found.addAll(check(List.of(keys.gatewayStream()), run, request));

        List<Found> confirmed = found.isEmpty() ? found : secondLook(found, run);
        List<Finding> findings = new ArrayList<>();
        if (request.repair()) {
            for (int from = 0; from < confirmed.size(); from += request.batch()) {
                findings.addAll(repair(confirmed.subList(from, Math.min(confirmed.size(), from + request.batch())),
                        request));
                if (from + request.batch() < confirmed.size()) {
                    pause(request.pause());
                }
            }
        } else {
            confirmed.forEach(f -> findings.add(f.finding()));
        }
        Map<KeyKind, KindUsage> usage = new EnumMap<>(KeyKind.class);
        run.usage.forEach((kind, u) -> usage.put(kind, new KindUsage(u.keys,
                u.sampled == 0 ? 0 : Math.round((double) u.sampledBytes / u.sampled * u.keys))));
        return new AuditReport(usage, findings, run.scanned);
    }

    /** The findings that are still there when looked at again (fresh, so their repairs use what is there now). */
    private List<Found> secondLook(List<Found> found, Run run) {
        pause(SECOND_LOOK);
        Set<String> identities = new HashSet<>();
        Set<String> again = new java.util.LinkedHashSet<>();
        for (Found f : found) {
            identities.add(f.identity());
            again.add(f.finding().key());
        }
        List<Found> confirmed = new ArrayList<>();
        List<String> keysAgain = new ArrayList<>(again);
        for (int from = 0; from < keysAgain.size(); from += run.request.batch()) {
            for (Found f : check(keysAgain.subList(from, Math.min(keysAgain.size(), from + run.request.batch())),
                    null, run.request)) {
                if (identities.contains(f.identity())) {
                    confirmed.add(f);
                }
            }
        }
        return confirmed;
    }

    // ---- checks ----

    /** One key as the walk saw it. */
    private record Seen(String key, Parsed parsed, KeyKind kind, String type, long pttl) {}

    /**
     * The problems of these keys. {@code run} counts them (kinds, memory samples); null for a second look, which
     * counts nothing.
     */
    private List<Found> check(List<String> names, Run run, AuditRequest request) {
        if (names.isEmpty()) {
            return List.of();
        }
        List<String> types = Pipelined.each(commands, "audit: key types", names, (p, key) -> p.type(key));
        List<Long> ttls = Pipelined.each(commands, "audit: key lifetimes", names, (p, key) -> p.pttl(key));
        List<Seen> seen = new ArrayList<>();
        List<String> sample = new ArrayList<>();
        List<KeyKind> sampleKinds = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String type = types.get(i);
            if (type == null || type.equals("none")) {
                continue; // gone since the SCAN named it
            }
            Parsed parsed = keys.parse(names.get(i));
            KeyKind kind = KeyKind.valueOf(parsed.kind().name());
            seen.add(new Seen(names.get(i), parsed, kind, type, ttls.get(i) == null ? -2 : ttls.get(i)));
            if (run != null) {
                Usage usage = run.usage.computeIfAbsent(kind, k -> new Usage());
                usage.keys++;
                if (usage.sampled + countOf(sampleKinds, kind) < run.request.samplePerKind()) {
                    sample.add(names.get(i));
                    sampleKinds.add(kind);
                }
            }
        }
        if (run != null) {
            List<Long> bytes = Pipelined.each(commands, "audit: memory usage", sample, (p, key) -> p.memoryUsage(key));
            for (int i = 0; i < bytes.size(); i++) {
                if (bytes.get(i) != null) {
                    Usage usage = run.usage.get(sampleKinds.get(i));
                    usage.sampled++;
                    usage.sampledBytes += bytes.get(i);
                }
            }
        }

        List<Found> found = new ArrayList<>();
        List<Seen> sessions = new ArrayList<>();
        List<Seen> indexes = new ArrayList<>();
        List<Seen> snapshots = new ArrayList<>();
        for (Seen key : seen) {
            String expected = expectedType(key.kind());
            if (expected == null) {
                found.add(new Found(finding(Problem.UNKNOWN_KEY, key.key(), Optional.empty(),
                        "a " + key.type() + " that is not part of the key layout (docs/redis.md)"), new Unlink(key.key())));
                continue;
            }
            if (!expected.equals(key.type())) {
                boolean gateway = key.kind() == KeyKind.GATEWAY_SNAPSHOT || key.kind() == KeyKind.GATEWAY_STREAM;
                found.add(new Found(finding(Problem.WRONG_TYPE, key.key(), sessionIdOf(key),
                        "a " + key.type() + " where a " + expected + " belongs"), gateway
                        ? new CannotFix("it is under the gateway's names: delete it only once you know what wrote it")
                        : new Unlink(key.key())));
                continue;
            }
            switch (key.kind()) {
                case SESSION -> sessions.add(key);
                case USER_ACTIVE, USER_REVOKED -> indexes.add(key);
                case GATEWAY_SNAPSHOT -> snapshots.add(key);
                case CHALLENGE, RESEND_WINDOW, FAILED_GUESSES -> {
                    if (key.pttl() == -1) {
                        found.add(new Found(finding(Problem.MISSING_TTL, key.key(), Optional.empty(),
                                "a " + key.kind().label() + " never expires"), new Expire(key.key())));
                    }
                }
                case CONFIG -> found.addAll(checkSettings(key));
                default -> {
                    // the audit trail, the durable-write markers (a minute's TTL) and the gateway stream: nothing
                    // to check but their type
                }
            }
        }
        found.addAll(checkSessions(sessions));
        found.addAll(checkIndexes(indexes));
        found.addAll(checkSnapshots(snapshots, request));
        return found;
    }

    private static long countOf(List<KeyKind> kinds, KeyKind kind) {
        return kinds.stream().filter(kind::equals).count();
    }

    private static String expectedType(KeyKind kind) {
        return switch (kind) {
            case SESSION, CHALLENGE, CONFIG -> "hash";
            case USER_ACTIVE, USER_REVOKED -> "zset";
            case RESEND_WINDOW, FAILED_GUESSES, REPLICA_MARKER, GATEWAY_SNAPSHOT -> "string";
            case AUDIT, GATEWAY_STREAM -> "stream";
            case UNKNOWN -> null;
        };
    }

    private static Optional<String> sessionIdOf(Seen key) {
        return key.kind() == KeyKind.SESSION || key.kind() == KeyKind.GATEWAY_SNAPSHOT
                ? Optional.of(key.parsed().id()) : Optional.empty();
    }

    private List<Found> checkSettings(Seen key) {
        Map<String, String> fields = commands.run("audit: read runtime settings", client -> client.hgetAll(key.key()));
        List<Found> found = new ArrayList<>();
        CannotFix advice = new CannotFix("use admin config set or admin config unset");
        for (Map.Entry<String, String> field : fields.entrySet()) {
            Optional<Setting> setting = Setting.ofField(field.getKey());
            if (setting.isEmpty()) {
                found.add(new Found(finding(Problem.INVALID_SETTING, key.key(), Optional.empty(),
                        "unknown field '" + field.getKey() + "' (ignored by the service)"), advice));
                continue;
            }
            try {
                RuntimeSettings.DEFAULTS.with(setting.get(), field.getValue());
            } catch (InvalidSettingException e) {
                found.add(new Found(finding(Problem.INVALID_SETTING, key.key(), Optional.empty(), field.getKey()
                        + ": " + e.rule() + " (the service uses the environment default)"), advice));
            }
        }
        return found;
    }

    private List<Found> checkSessions(List<Seen> sessions) {
        if (sessions.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        List<Map<String, String>> records = Pipelined.each(commands, "audit: read sessions", sessions,
                (p, s) -> p.hgetAll(s.key()));
        List<Boolean> projected = Pipelined.each(commands, "audit: snapshots exist", sessions,
                (p, s) -> p.exists(keys.gatewaySnapshot(s.parsed().id())));
        List<Found> found = new ArrayList<>();
        List<Seen> indexed = new ArrayList<>();
        List<DeviceSession> truths = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            Seen s = sessions.get(i);
            Map<String, String> fields = records.get(i);
            if (fields == null || fields.isEmpty()) {
                continue;
            }
            String purgeAt = fields.get("purge_at");
            if (purgeAt != null && isNumber(purgeAt) && Long.parseLong(purgeAt) <= now) {
                continue; // purged by the service clock; Redis deletes it within milliseconds
            }
            Optional<String> id = Optional.of(s.parsed().id());
            DeviceSession session;
            try {
                session = RedisSessionStore.sessionOf(fields).seenAt(Instant.ofEpochMilli(now));
            } catch (RuntimeException e) {
                found.add(new Found(finding(Problem.INVALID_RECORD, s.key(), id, "unreadable: " + e.getMessage()),
                        new CannotFix("look at it with HGETALL; revoke or delete it by hand")));
                continue;
            }
            if (!session.id().equals(s.parsed().id()) || !SessionIds.belongsTo(session.id(), session.userId())) {
                found.add(new Found(finding(Problem.INVALID_RECORD, s.key(), id,
                        "its id does not belong to its user_id, so its user's indexes are in another hash slot"),
                        new CannotFix("revoke it with admin sessions revoke, then let it expire")));
                continue;
            }
            if (s.pttl() == -1 && purgeAt != null) {
                found.add(new Found(finding(Problem.MISSING_TTL, s.key(), id, "a " + session.status().wireName()
                        + " session with a purge time never expires"), new Expire(s.key())));
            } else if (s.pttl() == -1 && (session.status() == SessionStatus.REVOKED || session.expiresAt().isPresent())) {
                found.add(new Found(finding(Problem.INVALID_RECORD, s.key(), id,
                        "a session with a lifetime lacks its purge_at"),
                        new CannotFix("revoke it with admin sessions revoke, which sets its purge time")));
            }
            if (!Boolean.TRUE.equals(projected.get(i)) && session.status() != SessionStatus.EXPIRED) {
                found.add(new Found(finding(Problem.SNAPSHOT_MISSING, s.key(), id, "a " + session.status().wireName()
                        + " session the gateway has no snapshot of"), new Publish(session)));
            }
            indexed.add(s);
            truths.add(session);
        }
        List<String[]> right = new ArrayList<>();
        List<String[]> wrong = new ArrayList<>();
        for (DeviceSession session : truths) {
            RedisKeys.UserKeys user = keys.user(session.userId());
            boolean revoked = session.status() == SessionStatus.REVOKED;
            right.add(new String[] {revoked ? user.revokedSessions() : user.activeSessions(), session.id()});
            wrong.add(new String[] {revoked ? user.activeSessions() : user.revokedSessions(), session.id()});
        }
        List<Double> inRight = Pipelined.each(commands, "audit: index membership", right, (p, e) -> p.zscore(e[0], e[1]));
        List<Double> inWrong = Pipelined.each(commands, "audit: index membership", wrong, (p, e) -> p.zscore(e[0], e[1]));
        for (int i = 0; i < indexed.size(); i++) {
            DeviceSession session = truths.get(i);
            String which = session.status() == SessionStatus.REVOKED ? "user-revoked" : "user-active";
            String detail = inRight.get(i) == null ? "a " + session.status().wireName() + " session missing from its "
                    + which + " index" : inWrong.get(i) != null ? "a " + session.status().wireName()
                    + " session also listed in the other index of its user" : null;
            if (detail != null) {
                found.add(new Found(finding(Problem.NOT_INDEXED, indexed.get(i).key(), Optional.of(session.id()),
                        detail), new Reindex(indexed.get(i).key(), keys.taggedPrefixOfSession(session.id()))));
            }
        }
        return found;
    }

    private List<Found> checkIndexes(List<Seen> indexes) {
        if (indexes.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        List<List<Tuple>> entries = Pipelined.each(commands, "audit: read indexes", indexes,
                (p, s) -> p.zrangeWithScores(s.key(), 0, -1));
        List<Found> found = new ArrayList<>();
        List<String> recordKeys = new ArrayList<>();
        List<String[]> owners = new ArrayList<>();
        for (int i = 0; i < indexes.size(); i++) {
            Seen index = indexes.get(i);
            List<Tuple> members = entries.get(i) == null ? List.of() : entries.get(i);
            RedisKeys.UserKeys user = keys.user(index.parsed().id());
            boolean forever = members.stream().anyMatch(t -> Double.isInfinite(t.getScore()));
            if (index.pttl() == -1 && !forever && !members.isEmpty()) {
                found.add(new Found(finding(Problem.MISSING_TTL, index.key(), Optional.empty(),
                        "an index without a session that lives forever never expires"), new Expire(index.key())));
            }
            for (Tuple member : members) {
                if (member.getScore() > now) {
                    recordKeys.add(user.sessionPrefix() + member.getElement());
                    owners.add(new String[] {index.key(), user.sessionPrefix(), member.getElement()});
                }
            }
        }
        List<Boolean> exists = Pipelined.each(commands, "audit: index records exist", recordKeys, (p, k) -> p.exists(k));
        for (int i = 0; i < recordKeys.size(); i++) {
            if (Boolean.FALSE.equals(exists.get(i))) {
                String[] owner = owners.get(i);
                found.add(new Found(finding(Problem.DANGLING_INDEX_ENTRY, owner[0], Optional.of(owner[2]),
                        "lists a session whose record is gone before its purge time"),
                        new DropIndexEntry(owner[0], owner[1], owner[2])));
            }
        }
        return found;
    }

    /** A snapshot as read: its status and revision, when it parses. */
    private record SnapshotView(SessionStatus status, long revision, JsonObject json) {}

    private List<Found> checkSnapshots(List<Seen> snapshots, AuditRequest request) {
        if (snapshots.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<String> values = Pipelined.each(commands, "audit: read snapshots", snapshots, (p, s) -> p.get(s.key()));
        List<Map<String, String>> records = Pipelined.each(commands, "audit: read snapshot sessions", snapshots,
                (p, s) -> p.hgetAll(keys.session(s.parsed().id())));
        List<Found> found = new ArrayList<>();
        for (int i = 0; i < snapshots.size(); i++) {
            String value = values.get(i);
            if (value == null) {
                continue;
            }
            Seen s = snapshots.get(i);
            Optional<DeviceSession> truth = truthOf(records.get(i), now);
            Optional<SnapshotView> view = view(value, s.parsed().id());
            Finding problem = null;
            Fix fix = null;
            Optional<String> id = Optional.of(s.parsed().id());
            if (view.isEmpty()) {
                problem = finding(Problem.SNAPSHOT_DISAGREES, s.key(), id, "not a snapshot of this session's JSON");
                fix = new DropSnapshot(s.key(), value, truth.filter(t -> t.status() != SessionStatus.EXPIRED));
            } else if (truth.isEmpty()) {
                SnapshotView snapshot = view.get();
                if (snapshot.status() == SessionStatus.ACTIVE) {
                    problem = finding(Problem.SNAPSHOT_DISAGREES, s.key(), id,
                            "an active snapshot (revision " + snapshot.revision() + ") of a session that does not exist");
                    fix = tombstone(snapshot, s.key(), value, now, request);
                } else if (s.pttl() == -1) {
                    problem = finding(Problem.MISSING_TTL, s.key(), id, "a revoked snapshot of a session that no"
                            + " longer exists never expires");
                    fix = new DropSnapshot(s.key(), value, Optional.empty());
                }
            } else {
                DeviceSession record = truth.get();
                SnapshotView snapshot = view.get();
                if (record.status() == SessionStatus.EXPIRED) {
                    problem = finding(Problem.SNAPSHOT_DISAGREES, s.key(), id, "a " + snapshot.status().wireName()
                            + " snapshot of an expired session (it should have expired with it)");
                    fix = new DropSnapshot(s.key(), value, Optional.empty());
                } else if (snapshot.revision() < record.revision()) {
                    problem = finding(Problem.SNAPSHOT_DISAGREES, s.key(), id, describe(snapshot, record)
                            + ": stale revision " + snapshot.revision() + ", the record is at " + record.revision());
                    fix = new Publish(record);
                } else if (snapshot.revision() > record.revision() || snapshot.status() != record.status()) {
                    problem = finding(Problem.SNAPSHOT_DISAGREES, s.key(), id, describe(snapshot, record)
                            + " at revision " + snapshot.revision() + ", the record is at " + record.revision());
                    fix = snapshot.status() == SessionStatus.REVOKED && record.status() == SessionStatus.ACTIVE
                            ? new CannotFix("not re-activated by a repair; revoke the session to settle it")
                            : new DropSnapshot(s.key(), value, Optional.of(record));
                } else {
                    boolean needsTtl = SessionSnapshot.of(record, request.revokedRetention())
                            .expiresAt().isPresent();
                    if (needsTtl && s.pttl() == -1) {
                        problem = finding(Problem.MISSING_TTL, s.key(), id, "a " + record.status().wireName()
                                + " snapshot of a session with a lifetime never expires");
                        fix = new DropSnapshot(s.key(), value, Optional.of(record));
                    } else if (record.status() == SessionStatus.ACTIVE && record.expiresAt().isEmpty() && s.pttl() >= 0) {
                        problem = finding(Problem.SNAPSHOT_DISAGREES, s.key(), id,
                                "expires, but its session has no lifetime: the gateway would drop a live session");
                        fix = new DropSnapshot(s.key(), value, Optional.of(record));
                    }
                }
            }
            if (problem != null) {
                found.add(new Found(problem, fix));
            }
        }
        return found;
    }

    private static String describe(SnapshotView snapshot, DeviceSession record) {
        return "an " + snapshot.status().wireName() + " snapshot of a " + record.status().wireName() + " session";
    }

    /** The record as the service reads it at {@code now}; empty when missing, purged or unreadable. */
    private static Optional<DeviceSession> truthOf(Map<String, String> fields, Instant now) {
        if (fields == null || fields.isEmpty()) {
            return Optional.empty();
        }
        String purgeAt = fields.get("purge_at");
        if (purgeAt != null && isNumber(purgeAt) && Long.parseLong(purgeAt) <= now.toEpochMilli()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RedisSessionStore.sessionOf(fields).seenAt(now));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<SnapshotView> view(String value, String id) {
        try {
            JsonObject json = JsonParser.parseString(value).getAsJsonObject();
            if (!id.equals(text(json, "device_session_id"))) {
                return Optional.empty();
            }
            SessionStatus status = SessionStatus.fromWireName(text(json, "status"));
            return Optional.of(new SnapshotView(status, json.get("revision").getAsLong(), json));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonObject json, String field) {
        JsonElement element = json.get(field);
        return element == null || element.isJsonNull() ? null : element.getAsString();
    }

    /**
     * An active snapshot whose session is gone: published revoked one revision later (snapshot and event), so that a
     * gateway that caches from the stream hears of it too. Rebuilt from the snapshot itself; when that fails, the
     * snapshot is deleted instead.
     */
    private Fix tombstone(SnapshotView snapshot, String key, String value, Instant now, AuditRequest request) {
        try {
            JsonObject json = snapshot.json();
            Instant createdAt = Instant.parse(text(json, "created_at"));
            Optional<Instant> expiresAt = Optional.ofNullable(text(json, "expires_at")).map(Instant::parse);
            DeviceSession revoked = new DeviceSession(text(json, "device_session_id"), text(json, "user_id"),
                    SessionStatus.REVOKED, createdAt, expiresAt, Optional.empty(), snapshot.revision() + 1,
                    Optional.of(now), Optional.of(request.repairReason()),
                    Optional.ofNullable(text(json, "device_name")), Optional.ofNullable(text(json, "client_public_key")));
            return new Publish(revoked);
        } catch (RuntimeException e) {
            return new DropSnapshot(key, value, Optional.empty());
        }
    }

    // ---- repairs ----

    private List<Finding> repair(List<Found> batch, AuditRequest request) {
        List<Finding> done = new ArrayList<>();
        Map<Integer, DeviceSession> publications = new LinkedHashMap<>();
        String now = Long.toString(clock.millis());
        for (int i = 0; i < batch.size(); i++) {
            Found f = batch.get(i);
            Finding finding = f.finding();
            Fix fix = f.fix();
            if (fix instanceof Expire expire) {
                Object reply = commands.eval("audit: repair lifetime", LuaScript.MAINTENANCE_EXPIRE,
                        List.of(expire.key()), List.of(now));
                done.add(Long.valueOf(-1).equals(reply)
                        ? finding.repaired(Repair.NOT_FIXED, "its data names no lifetime; delete it by hand if it is debris")
                        : finding.repaired(Repair.FIXED, "lifetime set from its own data"));
            } else if (fix instanceof DropIndexEntry drop) {
                commands.eval("audit: drop index entry", LuaScript.MAINTENANCE_INDEX_DROP, List.of(drop.index()),
                        List.of(drop.sessionPrefix(), now, drop.id()));
                done.add(finding.repaired(Repair.FIXED, "entry dropped"));
            } else if (fix instanceof Reindex reindex) {
                commands.eval("audit: reindex session", LuaScript.MAINTENANCE_REINDEX, List.of(reindex.sessionKey()),
                        List.of(reindex.taggedPrefix(), now));
                done.add(finding.repaired(Repair.FIXED, "put back into its index"));
            } else if (fix instanceof Publish publish) {
                publications.put(i, publish.truth());
                done.add(finding.repaired(Repair.FIXED, "true snapshot published (snapshot and event)"));
            } else if (fix instanceof DropSnapshot drop) {
                Object deleted = commands.eval("audit: drop snapshot", LuaScript.MAINTENANCE_SNAPSHOT_DROP,
                        List.of(drop.key()), List.of(drop.value()));
                if (!Long.valueOf(1).equals(deleted)) {
                    done.add(finding.repaired(Repair.NOT_FIXED, "it changed during the repair; run the audit again"));
                } else if (drop.truth().isPresent()) {
                    publications.put(i, drop.truth().get());
                    done.add(finding.repaired(Repair.FIXED, "replaced by the true snapshot (snapshot and event)"));
                } else {
                    done.add(finding.repaired(Repair.FIXED, "deleted"));
                }
            } else if (fix instanceof Unlink unlink) {
                commands.run("audit: unlink", client -> client.unlink(unlink.key()));
                done.add(finding.repaired(Repair.FIXED, "unlinked"));
            } else if (fix instanceof CannotFix cannot) {
                done.add(finding.repaired(Repair.NOT_FIXED, cannot.why()));
            }
        }
        if (!publications.isEmpty()) {
            publisher.publishAll(publications.values().stream()
                    .map(session -> SessionSnapshot.of(session, request.revokedRetention())).toList());
        }
        return done;
    }

    private static Finding finding(Problem problem, String key, Optional<String> sessionId, String detail) {
        return new Finding(problem, key, sessionId, detail, Repair.NOT_ATTEMPTED, "");
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }

    /** Sleeps; true unless interrupted (a walk then stops). */
    private static boolean pause(Duration pause) {
        if (pause.isZero()) {
            return true;
        }
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
