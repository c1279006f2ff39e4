package io.authsession.bench;

import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.authsession.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** What each flow costs Redis, in commands and in memory; single-threaded and not timed. */
final class RedisCosts {
    private static final String CONFIG_KEY = "authsession:config";

    /** Bytes of Redis memory per item, from a {@code used_memory} delta over {@code items}. */
    record MemoryRow(String what, double bytes, long items) {}

    /** Bytes per key of one family of keys left by a scenario ({@code MEMORY USAGE}, sampled). */
    record KeyFamily(String family, long keys, double bytesPerKey) {}

    /** The memory figures and the key families behind the session figure. */
    record Memory(List<MemoryRow> rows, List<KeyFamily> sessionKeys) {}

    private RedisCosts() {}

    static List<CommandCounter.Counts> commands(BenchRedis redis, int runs) {
        redis.flushAll();
        List<CommandCounter.Counts> counts = new ArrayList<>();
        MutableClock clock = MutableClock.at(Instant.now());
        try (AuthSessionRig rig = new AuthSessionRig(redis, clock);
                SpringSessionRig spring = new SpringSessionRig(redis);
                CommandCounter counter = new CommandCounter(redis, CONFIG_KEY)) {
            rig.lifecycle(); // connections open, scripts cached, runtime settings read
            spring.lifecycle();

            List<String> addresses = fresh(rig, runs);
            List<String> delivered = new ArrayList<>();
            counts.add(counter.measure("send-email-code, delivered", runs,
                    i -> delivered.add(rig.auth.sendEmailCode(addresses.get(i)))));
            counts.add(counter.measure("send-email-code, throttled", runs,
                    i -> rig.auth.sendEmailCode(addresses.get(i))));

            List<ConfirmRequest> right = new ArrayList<>();
            List<ConfirmRequest> wrong = new ArrayList<>();
            for (String address : fresh(rig, runs)) {
                String challengeId = rig.auth.sendEmailCode(address);
                String code = rig.inbox.take(challengeId);
                right.add(ConfirmRequest.of(challengeId, code));
                wrong.add(ConfirmRequest.of(challengeId, code.equals("000000") ? "000001" : "000000"));
            }
            counts.add(counter.measure("confirm-email-code, wrong code", runs, i -> {
                try {
                    rig.auth.confirmEmailCode(wrong.get(i));
                    throw new IllegalStateException("a wrong code was accepted");
                } catch (AuthSessionException expected) {
                    if (expected.code() != ErrorCode.INVALID_CODE) {
                        throw expected;
                    }
                }
            }));
            List<ConfirmedLogin> logins = new ArrayList<>();
            counts.add(counter.measure("confirm-email-code, new session", runs,
                    i -> logins.add(rig.auth.confirmEmailCode(right.get(i)))));
            counts.add(counter.measure("confirm-email-code, replay", runs,
                    i -> rig.auth.confirmEmailCode(right.get(i))));
            counts.add(counter.measure("list sessions (1 session)", runs,
                    i -> rig.auth.listSessions(logins.get(i).userId(), Optional.empty())));
            counts.add(counter.measure("get session", runs,
                    i -> rig.auth.findSession(logins.get(i).deviceSessionId())));
            counts.add(counter.measure("revoke session", runs,
                    i -> rig.auth.revokeSession(logins.get(i).deviceSessionId(), Optional.empty())));

            List<String> ownerAddresses = fresh(rig, runs);
            List<String> owners = new ArrayList<>();
            for (String address : ownerAddresses) {
                owners.add(rig.login(address).userId());
            }
            for (int round = 0; round < 2; round++) {
                clock.advance(Duration.ofMinutes(2)); // past the resend window
                ownerAddresses.forEach(rig::login);
            }
            counts.add(counter.measure("revoke-all (3 active sessions)", runs,
                    i -> rig.auth.revokeAllSessions(owners.get(i), Optional.empty())));
            counts.add(counter.measure("login (send + confirm)", runs, i -> rig.login(rig.freshAddress())));
            counts.add(counter.measure("authsession lifecycle (login + list + revoke)", runs, i -> rig.lifecycle()));

            List<String> principals = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            counts.add(counter.measure("Spring: create + save (with principal)", runs, i -> {
                String principal = spring.freshPrincipal();
                principals.add(principal);
                ids.add(spring.create(principal).getId());
            }));
            counts.add(counter.measure("Spring: find by principal name (1 session)", runs,
                    i -> spring.repository.findByPrincipalName(principals.get(i))));
            counts.add(counter.measure("Spring: find by id", runs, i -> spring.repository.findById(ids.get(i))));
            counts.add(counter.measure("Spring: delete by id", runs, i -> spring.repository.deleteById(ids.get(i))));
            counts.add(counter.measure("Spring lifecycle (create + find by principal + delete)", runs,
                    i -> spring.lifecycle()));
        }
        return counts;
    }

    private static List<String> fresh(AuthSessionRig rig, int count) {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add(rig.freshAddress());
        }
        return addresses;
    }

    static Memory memory(BenchRedis redis, int items) throws Exception {
        List<MemoryRow> rows = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            redis.flushAll();
            try (AuthSessionRig rig = new AuthSessionRig(redis, Clock.systemUTC()); Jedis jedis = redis.connect()) {
                rig.lifecycle(); // the stream and the script cache exist before the first reading
                List<String> addresses = fresh(rig, items);
                long m0 = BenchRedis.usedMemory(jedis);
                parallel(pool, items, i -> rig.auth.sendEmailCode(addresses.get(i)));
                long m1 = BenchRedis.usedMemory(jedis);
                parallel(pool, items, i -> rig.auth.sendEmailCode(addresses.get(i)));
                long m2 = BenchRedis.usedMemory(jedis);
                long resendKeys = deleteMatching(jedis, "authsession:{*}:resend:*");
                long m3 = BenchRedis.usedMemory(jedis);
                rows.add(new MemoryRow("send, delivered: challenge + resend window", (double) (m1 - m0) / items, items));
                if (resendKeys >= items) { // the warm-up's window is among them
                    double window = (double) (m2 - m3) / resendKeys;
                    rows.add(new MemoryRow("  of which the challenge", (m1 - m0) / (double) items - window, items));
                    rows.add(new MemoryRow("  of which the resend window", window, items));
                }
                rows.add(new MemoryRow("send, throttled: challenge", (double) (m2 - m1) / items, items));
            }

            List<KeyFamily> families;
            redis.flushAll();
            try (AuthSessionRig rig = new AuthSessionRig(redis, Clock.systemUTC()); Jedis jedis = redis.connect()) {
                rig.lifecycle();
                List<String> addresses = fresh(rig, items);
                long m0 = BenchRedis.usedMemory(jedis);
                parallel(pool, items, i -> rig.login(addresses.get(i)));
                long m1 = BenchRedis.usedMemory(jedis);
                families = keyFamilies(jedis);
                deleteMatching(jedis, "authsession:{*}:challenge:*");
                deleteMatching(jedis, "authsession:{*}:resend:*");
                long m2 = BenchRedis.usedMemory(jedis);
                jedis.sendCommand(Protocol.Command.XTRIM, "gateway:session_events", "MAXLEN", "0");
                long m3 = BenchRedis.usedMemory(jedis);
                rows.add(new MemoryRow("login: everything it leaves for a while (session, challenge, resend window)",
                        (double) (m1 - m0) / items, items));
                rows.add(new MemoryRow("active session: record, user index, gateway snapshot, stream event",
                        (double) (m2 - m0) / items, items));
                rows.add(new MemoryRow("  of which the stream event", (double) (m2 - m3) / items, items));
            }

            redis.flushAll();
            try (SpringSessionRig spring = new SpringSessionRig(redis); Jedis jedis = redis.connect()) {
                spring.create(spring.freshPrincipal());
                List<String> principals = new ArrayList<>();
                for (int i = 0; i < items; i++) {
                    principals.add(spring.freshPrincipal());
                }
                long m0 = BenchRedis.usedMemory(jedis);
                parallel(pool, items, i -> spring.create(principals.get(i)));
                long m1 = BenchRedis.usedMemory(jedis);
                rows.add(new MemoryRow("Spring Session: session with principal index", (double) (m1 - m0) / items,
                        items));
            }
            redis.flushAll();
            return new Memory(rows, families);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void parallel(ExecutorService pool, int items, IntConsumer op) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        int workers = 8;
        for (int w = 0; w < workers; w++) {
            int first = w;
            futures.add(pool.submit(() -> {
                for (int i = first; i < items; i += workers) {
                    op.accept(i);
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
    }

    private static long deleteMatching(Jedis jedis, String pattern) {
        long deleted = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(pattern).count(1000);
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            if (!page.getResult().isEmpty()) {
                deleted += jedis.del(page.getResult().toArray(String[]::new));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return deleted;
    }

    /** Every key, grouped by its name with ids and hash tags starred; bytes from up to 200 keys of each group. */
    private static List<KeyFamily> keyFamilies(Jedis jedis) {
        Map<String, long[]> families = new LinkedHashMap<>(); // keys, sampled, sampled bytes
        Map<String, String> onlyKey = new LinkedHashMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().count(1000);
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            for (String key : page.getResult()) {
                String family = familyOf(key);
                long[] stats = families.computeIfAbsent(family, f -> new long[3]);
                onlyKey.putIfAbsent(family, key);
                stats[0]++;
                if (stats[1] < 200) {
                    Long bytes = jedis.memoryUsage(key, 0);
                    if (bytes != null) {
                        stats[1]++;
                        stats[2] += bytes;
                    }
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        List<KeyFamily> result = new ArrayList<>();
        families.forEach((family, stats) -> result.add(new KeyFamily(stats[0] == 1 ? onlyKey.get(family) : family,
                stats[0], stats[1] == 0 ? 0 : (double) stats[2] / stats[1])));
        result.sort((a, b) -> a.family().compareTo(b.family()));
        return result;
    }

    static String familyOf(String key) {
        String tagged = key.replaceAll("\\{[^}]*}", "{*}");
        int colon = tagged.lastIndexOf(':');
        return colon < 0 ? tagged : tagged.substring(0, colon + 1) + "*";
    }
}
