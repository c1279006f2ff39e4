package io.authsession.redis;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.port.PublishOutcome;
import io.authsession.core.port.Revocation;
import io.authsession.core.port.SessionSnapshot;
import io.authsession.core.port.UserRevocation;
import io.authsession.redis.KeyWalk.Cursor;
import io.authsession.redis.KeyWalk.Page;
import io.authsession.redis.RedisKeys.Kind;
import io.authsession.redis.RedisKeys.Parsed;
import io.authsession.redis.RedisMaintenance.ActiveCount;
import io.authsession.redis.RedisMaintenance.MassLogoutProgress;
import io.authsession.redis.RedisMaintenance.MassLogoutRequest;
import io.authsession.redis.RedisMaintenance.MassLogoutResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Revokes every active session: walks the per-user active indexes with {@code SCAN}, a batch of users at a time (the
 * unit of pause, progress and resume), and revokes each user with the service's own revoke-all script,
 * {@link #PIPELINE_USERS} users per round trip, then publishes their revocations in one more (snapshot and event
 * each, ordered by revision like every publication).
 */
final class MassLogout {
    /** Attempts of one batch before the run stops with the cursor to resume from. */
    private static final int ATTEMPTS = 3;
    /**
     * Users revoked per round trip within a batch. A pipeline of a few hundred scripts holds Redis long enough to
     * triple the p99 of the logins running beside it; pipelines of 25 users keep it within noise of a quiet Redis and
     * still revoke well over 10,000 sessions a second (docs/performance.md, mass logout).
     */
    static final int PIPELINE_USERS = 25;

    private final RedisCommands commands;
    private final RedisKeys keys;
    private final Clock clock;
    private final KeyWalk walk;
    private final RedisSessionStore sessions;
    private final RedisProjectionPublisher publisher;

    MassLogout(RedisCommands commands, RedisKeys keys, Clock clock, KeyWalk walk, RedisSessionStore sessions,
            RedisProjectionPublisher publisher) {
        this.commands = commands;
        this.keys = keys;
        this.clock = clock;
        this.walk = walk;
        this.sessions = sessions;
        this.publisher = publisher;
    }

    /** Users with at least one active session, and those sessions, over the whole keyspace. */
    ActiveCount count(int batch) {
        long[] totals = new long[2];
        walk.walk(Cursor.START, keys.everyActiveIndexPattern(), batch, page -> {
            List<String> users = userIds(page);
            long now = clock.millis();
            List<List<String>> ids = Pipelined.each(commands, "read active indexes", users,
                    (p, user) -> p.zrangeByScore(keys.user(user).activeSessions(), "(" + now, "+inf"));
            List<String> sessionKeys = new ArrayList<>();
            List<Integer> owners = new ArrayList<>();
            for (int i = 0; i < users.size(); i++) {
                String prefix = keys.user(users.get(i)).sessionPrefix();
                for (String id : ids.get(i) == null ? List.<String>of() : ids.get(i)) {
                    sessionKeys.add(prefix + id);
                    owners.add(i);
                }
            }
            List<List<String>> states = Pipelined.each(commands, "read session states", sessionKeys,
                    (p, key) -> p.hmget(key, "status", "expires_at"));
            boolean[] counted = new boolean[users.size()];
            for (int i = 0; i < states.size(); i++) {
                List<String> state = states.get(i);
                if (state != null && "active".equals(state.get(0))
                        && (state.get(1) == null || Long.parseLong(state.get(1)) > now)) {
                    totals[1]++;
                    if (!counted[owners.get(i)]) {
                        counted[owners.get(i)] = true;
                        totals[0]++;
                    }
                }
            }
            return true;
        });
        return new ActiveCount(totals[0], totals[1]);
    }

    MassLogoutResult run(MassLogoutRequest request, Consumer<MassLogoutProgress> progress, BooleanSupplier stop) {
        commands.loadScripts(List.of(LuaScript.SESSION_REVOKE_ALL, LuaScript.PROJECTION_PUBLISH));
        Cursor at = request.resumeFrom().map(Cursor::parse).orElse(Cursor.START);
        long users = 0;
        long revoked = 0;
        long published = 0;
        while (!at.done()) {
            Cursor batchStart = at;
            List<String> batch = new ArrayList<>();
            while (!at.done() && batch.size() < request.batchUsers()) {
                Page page = walk.next(at, keys.everyActiveIndexPattern(), request.batchUsers());
                batch.addAll(userIds(page));
                at = page.next();
            }
            long[] done;
            try {
                done = revokeBatch(batch, request);
            } catch (DependencyUnavailableException e) {
                return new MassLogoutResult(users, revoked, published, false, Optional.of(batchStart.toString()),
                        Optional.of(e.getMessage()));
            }
            users += batch.size();
            revoked += done[0];
            published += done[1];
            progress.accept(new MassLogoutProgress(users, revoked, published, at.toString()));
            if (at.done()) {
                break;
            }
            if (stop.getAsBoolean() || !pause(request.pause()) || stop.getAsBoolean()) {
                return new MassLogoutResult(users, revoked, published, false, Optional.of(at.toString()),
                        Optional.empty());
            }
        }
        return new MassLogoutResult(users, revoked, published, true, Optional.empty(), Optional.empty());
    }

    /**
     * Revokes a batch and publishes what it revoked; on a failure, tries again (up to {@link #ATTEMPTS}) and then
     * publishes every revoked session of the batch's users, as the service's revoke-all does, so that a revocation
     * whose publication failed the first time is projected too.
     *
     * @return sessions revoked, publications applied
     */
    private long[] revokeBatch(List<String> users, MassLogoutRequest request) {
        long revoked = 0;
        DependencyUnavailableException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                long applied = 0;
                for (int from = 0; from < users.size(); from += PIPELINE_USERS) {
                    List<String> round = users.subList(from, Math.min(users.size(), from + PIPELINE_USERS));
                    Instant at = clock.instant();
                    List<UserRevocation> results = sessions.revokeAllActive(round, request.reason(), at,
                            request.revokedRetention());
                    List<DeviceSession> toPublish = new ArrayList<>();
                    for (UserRevocation result : results) {
                        for (Revocation revocation : result.revocations()) {
                            if (revocation.changed()) {
                                revoked++;
                            }
                            if (revocation.changed() || failure != null) {
                                toPublish.add(revocation.session());
                            }
                        }
                    }
                    applied += publisher.publishAll(toPublish.stream()
                                    .map(session -> SessionSnapshot.of(session, request.revokedRetention())).toList())
                            .stream().filter(outcome -> outcome == PublishOutcome.APPLIED).count();
                }
                return new long[] {revoked, applied};
            } catch (DependencyUnavailableException e) {
                failure = e;
                if (attempt < ATTEMPTS && !pause(Duration.ofMillis(500L * attempt))) {
                    break;
                }
            }
        }
        throw failure;
    }

    private List<String> userIds(Page page) {
        List<String> users = new ArrayList<>(page.names().size());
        for (String key : page.names()) {
            Parsed parsed = keys.parse(key);
            if (parsed.kind() == Kind.USER_ACTIVE) {
                users.add(parsed.id());
            }
        }
        return users;
    }

    /** Sleeps; false when interrupted. */
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
