package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.ConfirmedLogin;
import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.InvalidSettingException;
import io.authsession.redis.RedisMaintenance.ActiveCount;
import io.authsession.redis.RedisMaintenance.AuditReport;
import io.authsession.redis.RedisMaintenance.AuditRequest;
import io.authsession.redis.RedisMaintenance.Finding;
import io.authsession.redis.RedisMaintenance.KeyKind;
import io.authsession.redis.RedisMaintenance.MassLogoutProgress;
import io.authsession.redis.RedisMaintenance.MassLogoutRequest;
import io.authsession.redis.RedisMaintenance.MassLogoutResult;
import io.authsession.redis.RedisMaintenance.Problem;
import io.authsession.redis.RedisMaintenance.Repair;
import io.authsession.testkit.ProjectionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** The operator's walks on real Redis: mass logout, audit and repair, the audit trail, the key parser. */
class RedisMaintenanceTest {
    private static final Duration RETENTION = Duration.ofHours(720);

    private final TestKeyspace keyspace = keyspace();
    private final RedisWiring w = new RedisWiring(keyspace);
    private final RedisMaintenance maintenance = w.redis.maintenance();
    private final RedisKeys keys = keyspace.keys();
    private final UnifiedJedis raw = keyspace.raw();
    private final RedisProjectionView gateway = new RedisProjectionView(raw, keys);

    /** The Redis the walks run on: one server here, a cluster in {@link ClusterMaintenanceTest}. */
    TestKeyspace keyspace() {
        return new TestKeyspace();
    }

    @AfterEach
    void close() throws Exception {
        keyspace.close();
    }

    private List<ConfirmedLogin> logins(int users, int sessionsEach) {
        List<ConfirmedLogin> logins = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int s = 0; s < sessionsEach; s++) {
                logins.add(w.login("user" + u + "@example.com"));
                w.clock.advance(Duration.ofMinutes(2)); // past the resend window
            }
        }
        return logins;
    }

    private MassLogoutRequest everyone(int batch) {
        return new MassLogoutRequest("incident 42", batch, Duration.ZERO, RETENTION, Optional.empty());
    }

    private AuditReport audit(boolean repair) {
        return maintenance.audit(new AuditRequest(repair, 50, Duration.ZERO, 20, RETENTION, "audit_repair"), n -> { });
    }

    private static Map<Problem, Long> problems(AuditReport report) {
        return report.findings().stream().collect(Collectors.groupingBy(Finding::problem, Collectors.counting()));
    }

    @Nested
    @DisplayName("mass logout")
    class MassLogoutTests {
        @Test
        @DisplayName("counts users and active sessions, leaving out expired ones still waiting in their index")
        void count() {
            logins(3, 2);
            maintenance.setRuntimeSetting("session_max_lifetime", "1h");
            w.clock.advance(Duration.ofSeconds(6)); // the runtime settings are read at most every 5 s
            w.login("short-lived@example.com");
            w.clock.advance(Duration.ofHours(2));

            assertThat(maintenance.countActive(2)).isEqualTo(new ActiveCount(3, 6));
        }

        @Test
        @DisplayName("revokes every active session with the reason, each projected with its event; a second run revokes nothing")
        void revokesEveryone() {
            List<ConfirmedLogin> logins = logins(7, 2);
            List<MassLogoutProgress> progress = new ArrayList<>();

            MassLogoutResult result = maintenance.revokeEveryone(everyone(3), progress::add, () -> false);

            assertThat(result.complete()).isTrue();
            assertThat(result.revoked()).isEqualTo(14);
            assertThat(result.users()).isEqualTo(7);
            assertThat(progress).isNotEmpty();
            assertThat(progress.get(progress.size() - 1).revoked()).isEqualTo(14);
            for (ConfirmedLogin login : logins) {
                DeviceSession session = w.auth.findSession(login.deviceSessionId()).orElseThrow();
                assertThat(session.status()).isEqualTo(SessionStatus.REVOKED);
                assertThat(session.revokeReason()).contains("incident 42");
                assertThat(gateway.snapshot(login.deviceSessionId()).orElseThrow()).contains("\"status\":\"revoked\"");
            }
            assertThat(gateway.events()).filteredOn(e -> e.status().equals("revoked")).hasSize(14);
            assertThat(maintenance.countActive(10)).isEqualTo(new ActiveCount(0, 0));

            MassLogoutResult again = maintenance.revokeEveryone(everyone(3), p -> { }, () -> false);
            assertThat(again.revoked()).isZero();
            assertThat(gateway.events()).filteredOn(e -> e.status().equals("revoked")).hasSize(14);
        }

        @Test
        @DisplayName("stopped after a batch, it gives a cursor; resumed from it, it revokes the rest and nobody twice")
        void stopAndResume() {
            List<ConfirmedLogin> logins = logins(12, 1);

            MassLogoutResult first = maintenance.revokeEveryone(everyone(1), p -> { }, () -> true);
            assertThat(first.complete()).isFalse();
            assertThat(first.revoked()).isBetween(1L, 11L);
            assertThat(first.resumeCursor()).isPresent();

            MassLogoutResult rest = maintenance.revokeEveryone(new MassLogoutRequest("incident 42", 1, Duration.ZERO,
                    RETENTION, first.resumeCursor()), p -> { }, () -> false);
            assertThat(rest.complete()).isTrue();
            assertThat(first.revoked() + rest.revoked()).isEqualTo(12);
            Map<String, Long> revokedEvents = gateway.events().stream().filter(e -> e.status().equals("revoked"))
                    .collect(Collectors.groupingBy(ProjectionEvent::deviceSessionId, Collectors.counting()));
            assertThat(revokedEvents).hasSize(12).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
            assertThat(logins).allSatisfy(login -> assertThat(w.auth.findSession(login.deviceSessionId()).orElseThrow()
                    .status()).isEqualTo(SessionStatus.REVOKED));
        }

        @Test
        @DisplayName("refuses a cursor it did not print")
        void badCursor() {
            assertThatThrownBy(() -> RedisMaintenance.checkCursor("banana"))
                    .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.setting()).isEqualTo("resume"));
            RedisMaintenance.checkCursor("0:1234");
        }
    }

    @Nested
    @DisplayName("audit")
    class AuditTests {
        @Test
        @DisplayName("finds nothing wrong after real flows, and counts keys by kind")
        void clean() {
            logins(3, 2);
            w.auth.revokeSession(w.login("other@example.com").deviceSessionId(), Optional.empty());
            maintenance.setRuntimeSetting("challenge_ttl", "5m");

            AuditReport report = audit(false);

            assertThat(report.findings()).isEmpty();
            assertThat(report.usage().get(KeyKind.SESSION).keys()).isEqualTo(7);
            assertThat(report.usage().get(KeyKind.USER_ACTIVE).keys()).isEqualTo(3);
            assertThat(report.usage().get(KeyKind.USER_REVOKED).keys()).isEqualTo(1);
            assertThat(report.usage().get(KeyKind.GATEWAY_SNAPSHOT).keys()).isEqualTo(7);
            assertThat(report.usage().get(KeyKind.GATEWAY_STREAM).keys()).isEqualTo(1);
            assertThat(report.usage().get(KeyKind.CHALLENGE).keys()).isPositive();
            assertThat(report.usage().get(KeyKind.SESSION).approximateBytes()).isPositive();
        }

        @Test
        @DisplayName("finds data broken on purpose, repairs each, and is clean afterwards")
        void brokenData() {
            List<ConfirmedLogin> logins = logins(5, 1);
            String deleted = logins.get(0).deviceSessionId();
            String overwritten = logins.get(1).deviceSessionId();
            String stripped = logins.get(2).deviceSessionId();
            String unindexed = logins.get(3).deviceSessionId();
            String activeSnapshot = gateway.snapshot(overwritten).orElseThrow();
            w.auth.revokeSession(overwritten, Optional.empty());
            w.auth.revokeSession(stripped, Optional.empty());

            raw.del(keys.session(deleted));                                   // a record gone: dangling entry, orphan snapshot
            raw.set(keys.gatewaySnapshot(overwritten), activeSnapshot);       // the revocation did not reach the gateway
            raw.persist(keys.session(stripped));                              // a revoked session that never goes
            raw.zrem(keys.user(logins.get(3).userId()).activeSessions(), unindexed); // missed by revoke-all
            raw.set(keyspace.namespace + "authsession:leftover", "x");       // debris under the prefix

            AuditReport found = audit(false);
            assertThat(problems(found)).containsOnly(
                    Map.entry(Problem.DANGLING_INDEX_ENTRY, 1L), Map.entry(Problem.SNAPSHOT_DISAGREES, 2L),
                    Map.entry(Problem.MISSING_TTL, 1L), Map.entry(Problem.NOT_INDEXED, 1L),
                    Map.entry(Problem.UNKNOWN_KEY, 1L));
            assertThat(found.unresolved()).hasSameSizeAs(found.findings());

            AuditReport repaired = audit(true);
            assertThat(repaired.findings()).hasSize(6).allSatisfy(f -> assertThat(f.repair()).isEqualTo(Repair.FIXED));
            assertThat(audit(false).findings()).isEmpty();

            assertThat(gateway.snapshot(overwritten).orElseThrow()).contains("\"status\":\"revoked\"");
            assertThat(gateway.snapshot(deleted).orElseThrow()).contains("\"status\":\"revoked\"")
                    .contains("\"revoke_reason\":\"audit_repair\"");
            assertThat(gateway.events()).filteredOn(e -> e.deviceSessionId().equals(deleted))
                    .extracting(ProjectionEvent::status).containsExactly("active", "revoked");
            assertThat(raw.pttl(keys.session(stripped))).isPositive();
            assertThat(raw.exists(keyspace.namespace + "authsession:leftover")).isFalse();
            assertThat(w.auth.listSessions(logins.get(3).userId(), Optional.empty()))
                    .extracting(DeviceSession::id).containsExactly(unindexed);
            // The unindexed session is found by a mass logout again.
            assertThat(maintenance.revokeEveryone(everyone(10), p -> { }, () -> false).revoked()).isEqualTo(2);
        }

        @Test
        @DisplayName("reports invalid runtime settings and keys of the wrong type, and says why it does not fix the first")
        void unfixable() {
            maintenance.setRuntimeSetting("challenge_ttl", "ten minutes");
            raw.set(keys.session("AAAAwrongtype"), "x");

            AuditReport repaired = audit(true);

            Function<Problem, Finding> of = problem -> repaired.findings().stream()
                    .filter(f -> f.problem() == problem).findFirst().orElseThrow();
            assertThat(of.apply(Problem.INVALID_SETTING).repair()).isEqualTo(Repair.NOT_FIXED);
            assertThat(of.apply(Problem.INVALID_SETTING).note()).contains("admin config");
            assertThat(of.apply(Problem.WRONG_TYPE).repair()).isEqualTo(Repair.FIXED);
            assertThat(repaired.unresolved()).extracting(Finding::problem).containsExactly(Problem.INVALID_SETTING);
        }

        @Test
        @DisplayName("an active snapshot without the TTL of its session's lifetime is republished with it")
        void snapshotTtl() {
            ConfirmedLogin login = logins(1, 1).get(0);
            raw.persist(keys.gatewaySnapshot(login.deviceSessionId()));
            assertThat(problems(audit(false))).containsOnly(Map.entry(Problem.MISSING_TTL, 1L));
            audit(true);
            assertThat(raw.pttl(keys.gatewaySnapshot(login.deviceSessionId()))).isPositive();
        }
    }

    @Test
    @DisplayName("the audit trail is a stream under the prefix, trimmed to about ten thousand entries")
    void auditTrail() {
        for (int i = 0; i < 3; i++) {
            maintenance.appendAudit(Map.of("command", "test", "n", Integer.toString(i)));
        }
        assertThat(maintenance.auditStreamKey()).isEqualTo(keyspace.namespace + "authsession:audit");
        assertThat(raw.xlen(maintenance.auditStreamKey())).isEqualTo(3);
        assertThat(raw.xrange(maintenance.auditStreamKey(), "-", "+").get(2).getFields()).containsEntry("n", "2");
        assertThat(RedisMaintenance.AUDIT_MAX_LENGTH).isEqualTo(10_000);
    }

    @Test
    @DisplayName("runtime settings: written, read back raw, removed")
    void runtimeSettings() {
        maintenance.setRuntimeSetting("challenge_ttl", "5m");
        assertThat(maintenance.runtimeSettingsHash()).containsExactly(Map.entry("challenge_ttl", "5m"));
        assertThat(w.redis.configProvider().current().challengeTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(maintenance.unsetRuntimeSetting("challenge_ttl")).isTrue();
        assertThat(maintenance.unsetRuntimeSetting("challenge_ttl")).isFalse();
        assertThat(maintenance.runtimeSettingsHash()).isEmpty();
    }

    @Test
    @DisplayName("the gateway snapshot of a session, with its TTL")
    void gatewaySnapshot() {
        ConfirmedLogin login = logins(1, 1).get(0);
        assertThat(maintenance.gatewaySnapshot(login.deviceSessionId()).orElseThrow().json())
                .contains(login.deviceSessionId());
        assertThat(maintenance.gatewaySnapshot("nope")).isEmpty();
    }

    @Test
    @DisplayName("key names parse back to their kind only when the builder gives them back exactly")
    void parse() {
        String user = "u-1";
        String session = SessionIds.newId(user, new java.security.SecureRandom());
        assertThat(keys.parse(keys.session(session))).isEqualTo(new RedisKeys.Parsed(RedisKeys.Kind.SESSION, session));
        assertThat(keys.parse(keys.user(user).activeSessions()).kind()).isEqualTo(RedisKeys.Kind.USER_ACTIVE);
        assertThat(keys.parse(keys.user(user).revokedSessions()).id()).isEqualTo(user);
        assertThat(keys.parse(keys.config()).kind()).isEqualTo(RedisKeys.Kind.CONFIG);
        assertThat(keys.parse(keys.audit()).kind()).isEqualTo(RedisKeys.Kind.AUDIT);
        assertThat(keys.parse(keys.gatewaySnapshot(session)).kind()).isEqualTo(RedisKeys.Kind.GATEWAY_SNAPSHOT);
        assertThat(keys.parse(keys.gatewayStream()).kind()).isEqualTo(RedisKeys.Kind.GATEWAY_STREAM);
        // the tag of another user: not a key the layout makes
        assertThat(keys.parse(keys.user("u-2").activeSessions().replace("u-2", user)).kind())
                .isEqualTo(RedisKeys.Kind.UNKNOWN);
        assertThat(keys.parse(keyspace.namespace + "authsession:whatever").kind()).isEqualTo(RedisKeys.Kind.UNKNOWN);
        assertThat(RedisKeys.glob("a*b?[c]\\")).isEqualTo("a\\*b\\?\\[c\\]\\\\");
    }
}
