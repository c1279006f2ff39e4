package io.authsession.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.authsession.core.CodeHashKey;
import io.authsession.core.ConfirmRequest;
import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.AuthSessionException;
import io.authsession.server.admin.AdminHarness.Result;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.resps.StreamEntry;

/** Every admin command in process, on real Redis: what it prints, what it changes, its exit status. */
class AdminCommandTest {
    private static final Pattern EXPECT = Pattern.compile("--expect (\\d+)");
    private static final Pattern RESUME = Pattern.compile("--resume (\\d+:\\d+)");

    private final AdminHarness h = new AdminHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private List<StreamEntry> auditEntries() {
        return h.raw.exists(h.auditStream()) ? h.raw.xrange(h.auditStream(), "-", "+") : List.of();
    }

    private DeviceSession stored(String id) {
        return h.service().auth().findSession(id).orElseThrow();
    }

    private static String expectOf(Result dryRun) {
        Matcher matcher = EXPECT.matcher(dryRun.out());
        assertThat(matcher.find()).as(dryRun.out()).isTrue();
        return matcher.group(1);
    }

    @Nested
    @DisplayName("sessions")
    class Sessions {
        @Test
        @DisplayName("list prints a user's sessions as a table, or JSON lines; an unknown status is a usage error")
        void list() {
            DeviceSession one = h.session("alice");
            DeviceSession two = h.session("alice");
            h.service().auth().revokeSession(one.id(), java.util.Optional.of("lost phone"));

            Result table = h.run("sessions", "list", "alice");
            assertThat(table.exit()).isZero();
            assertThat(table.outLines().get(0)).startsWith("DEVICE_SESSION_ID").contains("STATUS", "REVOKE_REASON");
            assertThat(table.out()).contains(one.id(), two.id(), "lost phone", "2 sessions");

            Result json = h.run("sessions", "list", "alice", "--status", "active", "--json");
            assertThat(json.outLines()).hasSize(1);
            assertThat(JsonParser.parseString(json.outLines().get(0)).getAsJsonObject().get("device_session_id")
                    .getAsString()).isEqualTo(two.id());

            Result bad = h.run("sessions", "list", "alice", "--status", "sleeping");
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err().lines()).singleElement().asString().contains("--status");
        }

        @Test
        @DisplayName("show prints the session and whether the gateway snapshot agrees with it")
        void show() {
            DeviceSession session = h.session("bob");
            Result agrees = h.run("sessions", "show", session.id());
            assertThat(agrees.exit()).isZero();
            assertThat(agrees.out()).contains(session.id(), "bob", "agrees");

            h.raw.del(h.snapshotKey(session.id()));
            Result json = h.run("sessions", "show", session.id(), "--json");
            JsonObject object = JsonParser.parseString(json.out()).getAsJsonObject();
            assertThat(object.get("gateway_agrees").getAsBoolean()).isFalse();
            assertThat(object.get("gateway_snapshot").isJsonNull()).isTrue();

            Result unknown = h.run("sessions", "show", "nope");
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.err()).contains("no device session nope");
        }

        @Test
        @DisplayName("revoke revokes and projects one session, and audits it with the session's fingerprint only")
        void revoke() {
            DeviceSession session = h.session("carol");
            Result result = h.run("sessions", "revoke", session.id(), "--reason", "stolen laptop", "--operator", "dana");

            assertThat(result.exit()).isZero();
            assertThat(stored(session.id()).status()).isEqualTo(SessionStatus.REVOKED);
            assertThat(h.raw.get(h.snapshotKey(session.id()))).contains("\"status\":\"revoked\"", "stolen laptop");
            assertThat(result.out()).contains("audit ", "operator=dana", "command=\"sessions revoke\"", "revoked=1");
            Map<String, String> entry = auditEntries().get(0).getFields();
            assertThat(entry).containsEntry("operator", "dana").containsEntry("reason", "stolen laptop")
                    .containsEntry("outcome", "ok").containsEntry("counts", "revoked=1");
            String fingerprint = CodeHashKey.fromBase64(AdminHarness.CODE_HASH_KEY).fingerprintOf(session.id());
            assertThat(entry.get("arguments")).isEqualTo("device_session=fp:" + fingerprint);
            assertThat(entry.values()).noneMatch(value -> value.contains(session.id()));

            Result again = h.run("sessions", "revoke", session.id());
            assertThat(again.out()).contains("already revoked, projected again");
            assertThat(auditEntries().get(1).getFields()).containsEntry("operator", "tester")
                    .containsEntry("counts", "revoked=0");
        }

        @Test
        @DisplayName("revoke-user revokes every active session of the user")
        void revokeUser() {
            List<DeviceSession> sessions = List.of(h.session("erin"), h.session("erin"));
            Result result = h.run("sessions", "revoke-user", "erin", "--reason", "offboarding");
            assertThat(result.exit()).isZero();
            assertThat(result.out()).contains("revoked 2 sessions of user erin");
            assertThat(sessions).allSatisfy(s -> assertThat(stored(s.id()).revokeReason()).contains("offboarding"));
            assertThat(auditEntries()).singleElement().satisfies(e -> assertThat(e.getFields())
                    .containsEntry("arguments", "user_id=erin").containsEntry("counts", "revoked=2"));
        }
    }

    @Nested
    @DisplayName("sessions revoke-everyone")
    class RevokeEveryone {
        @Test
        @DisplayName("dry run counts and changes nothing; execute with its --expect revokes all; again revokes none")
        void dryRunThenExecute() {
            List<DeviceSession> sessions = h.sessions(4, 2);
            Result dry = h.run("sessions", "revoke-everyone", "--reason", "breach");
            assertThat(dry.exit()).isZero();
            assertThat(dry.out()).contains("4 users with 8 active sessions", "--execute --expect 8");
            assertThat(auditEntries()).isEmpty();
            assertThat(stored(sessions.get(0).id()).status()).isEqualTo(SessionStatus.ACTIVE);

            Result run = h.run("sessions", "revoke-everyone", "--reason", "breach", "--execute", "--expect",
                    expectOf(dry), "--batch", "2", "--pause", "0");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("revoked 8 sessions of 4 users");
            assertThat(sessions).allSatisfy(s -> assertThat(stored(s.id()).status()).isEqualTo(SessionStatus.REVOKED));
            assertThat(h.raw.xrange(h.stream(), "-", "+")).filteredOn(e -> e.getFields().get("status")
                    .equals("revoked")).hasSize(8);
            assertThat(run.err()).contains("revoke-everyone: 8/8 sessions");
            assertThat(auditEntries()).singleElement().satisfies(e -> assertThat(e.getFields())
                    .containsEntry("command", "sessions revoke-everyone").containsEntry("outcome", "ok")
                    .containsEntry("reason", "breach").containsEntry("counts", "users=4 revoked=8 published=8"));

            Result again = h.run("sessions", "revoke-everyone", "--reason", "breach", "--execute", "--expect", "0");
            assertThat(again.exit()).isZero();
            assertThat(again.out()).contains("revoked 0 sessions");
        }

        @Test
        @DisplayName("refuses to execute when the count moved more than 10% from --expect, and without --expect")
        void refuses() {
            h.sessions(5, 2);
            Result off = h.run("sessions", "revoke-everyone", "--reason", "breach", "--execute", "--expect", "8");
            assertThat(off.exit()).isEqualTo(2);
            assertThat(off.err()).contains("refused: 10 active sessions now, 8 expected");
            assertThat(auditEntries()).singleElement().satisfies(e -> assertThat(e.getFields())
                    .containsEntry("outcome", "refused"));
            assertThat(h.run("sessions", "revoke-everyone", "--reason", "breach", "--execute", "--expect", "11")
                    .exit()).isZero(); // within 10%

            Result noExpect = h.run("sessions", "revoke-everyone", "--reason", "breach", "--execute");
            assertThat(noExpect.exit()).isEqualTo(2);
            assertThat(noExpect.err()).contains("--execute needs --expect");
            assertThat(h.run("sessions", "revoke-everyone").err()).contains("--reason");
            assertThat(h.run("sessions", "revoke-everyone", "--reason", "x", "--resume", "banana").exit()).isEqualTo(2);
        }

        @Test
        @DisplayName("asked to stop, it ends after a batch with exit 130 and the --resume cursor; resumed, it does the rest")
        void interruptAndResume() {
            List<DeviceSession> sessions = h.sessions(10, 1);
            AtomicInteger asked = new AtomicInteger();
            Result first = h.run("", () -> asked.incrementAndGet() > 1, "sessions", "revoke-everyone", "--reason",
                    "breach", "--execute", "--expect", "10", "--batch", "1", "--pause", "0");
            assertThat(first.exit()).isEqualTo(130);
            Matcher resume = RESUME.matcher(first.out());
            assertThat(resume.find()).as(first.out()).isTrue();
            long revokedFirst = sessions.stream().filter(s -> stored(s.id()).status() == SessionStatus.REVOKED).count();
            assertThat(revokedFirst).isBetween(1L, 9L);
            assertThat(auditEntries().get(0).getFields().get("outcome")).startsWith("interrupted resume=");

            Result rest = h.run("sessions", "revoke-everyone", "--reason", "breach", "--execute", "--expect",
                    expectOf(first), "--batch", "1", "--pause", "0", "--resume", resume.group(1));
            assertThat(rest.exit()).as(rest.err()).isZero();
            assertThat(sessions).allSatisfy(s -> assertThat(stored(s.id()).status()).isEqualTo(SessionStatus.REVOKED));
            assertThat(h.raw.xrange(h.stream(), "-", "+")).filteredOn(e -> e.getFields().get("status")
                    .equals("revoked")).hasSize(10);
        }
    }

    @Nested
    @DisplayName("keys audit")
    class Audit {
        @Test
        @DisplayName("clean data: tables by kind, exit 0, no audit entry")
        void clean() {
            h.sessions(2, 1);
            Result result = h.run("keys", "audit");
            assertThat(result.exit()).as(result.out()).isZero();
            assertThat(result.out()).contains("KIND", "session", "gateway snapshot", "audit: clean");
            assertThat(auditEntries()).isEmpty();
        }

        @Test
        @DisplayName("broken data: exit 3 naming each problem; --repair fixes them, exit 0; the audit is clean again")
        void brokenAndRepaired() {
            List<DeviceSession> sessions = h.sessions(3, 1);
            String active = h.raw.get(h.snapshotKey(sessions.get(1).id()));
            h.service().auth().revokeSession(sessions.get(1).id(), java.util.Optional.empty());
            h.raw.del(h.prefix() + "{" + sessions.get(0).id().substring(0, 4) + "}:session:" + sessions.get(0).id());
            h.raw.set(h.snapshotKey(sessions.get(1).id()), active);
            h.raw.persist(h.prefix() + "{" + sessions.get(2).id().substring(0, 4) + "}:session:" + sessions.get(2).id());

            Result found = h.run("keys", "audit");
            assertThat(found.exit()).isEqualTo(3);
            assertThat(found.out()).contains("dangling-index-entry", "snapshot-disagrees", "missing-ttl",
                    "4 problems found");
            assertThat(found.out()).doesNotContain(sessions.get(0).id()); // only fingerprints of session ids

            Result json = h.run("keys", "audit", "--json");
            JsonObject report = JsonParser.parseString(json.out()).getAsJsonObject();
            assertThat(report.get("unresolved").getAsInt()).isEqualTo(4);

            Result repaired = h.run("keys", "audit", "--repair", "--batch", "2");
            assertThat(repaired.exit()).as(repaired.out()).isZero();
            assertThat(repaired.out()).contains("4 problems found, 4 fixed, 0 left");
            assertThat(auditEntries()).singleElement().satisfies(e -> assertThat(e.getFields())
                    .containsEntry("command", "keys audit --repair").containsEntry("counts", "found=4 fixed=4 left=0"));
            assertThat(h.run("keys", "audit").exit()).isZero();
            assertThat(h.raw.get(h.snapshotKey(sessions.get(1).id()))).contains("\"status\":\"revoked\"");
        }
    }

    @Nested
    @DisplayName("addresses")
    class Addresses {
        @Test
        @DisplayName("status shows the failed guesses of the normalised address; unlock lifts the lock")
        void statusAndUnlock() {
            h.env.put("AUTHSESSION_ADDRESS_MAX_FAILED_ATTEMPTS", "2");
            for (int i = 0; i < 2; i++) {
                String challenge = h.service().auth().sendEmailCode("Frank@Example.com");
                try {
                    h.service().auth().confirmEmailCode(ConfirmRequest.of(challenge, "000000"));
                } catch (AuthSessionException expected) {
                    // a wrong code (one chance in a million of being right)
                }
            }
            Result locked = h.run("addresses", "status", " frank@EXAMPLE.com", "--json");
            JsonObject state = JsonParser.parseString(locked.out()).getAsJsonObject();
            assertThat(state.get("failed_attempts").getAsInt()).isEqualTo(2);
            assertThat(state.get("locked").getAsBoolean()).isTrue();
            assertThat(state.get("address_key").getAsString()).hasSize(22);

            Result unlock = h.run("addresses", "unlock", "frank@example.com", "--reason", "ticket 7");
            assertThat(unlock.exit()).isZero();
            assertThat(unlock.out()).contains("unlocked");
            assertThat(auditEntries()).singleElement().satisfies(e -> {
                assertThat(e.getFields().get("arguments")).startsWith("address_key=");
                assertThat(e.getFields().values()).noneMatch(v -> v.contains("frank"));
            });
            assertThat(h.run("addresses", "status", "frank@example.com").out()).contains("locked", "no");

            h.env.remove("AUTHSESSION_CODE_HASH_KEY");
            Result noKey = h.run("addresses", "status", "frank@example.com");
            assertThat(noKey.exit()).isEqualTo(2);
            assertThat(noKey.err()).contains("AUTHSESSION_CODE_HASH_KEY is not set");
            assertThat(h.run("addresses", "status", "not-an-address").exit()).isEqualTo(2);
        }
    }

    @Nested
    @DisplayName("config")
    class Config {
        @Test
        @DisplayName("set validates like the service and refuses an invalid value with exit 2, writing nothing")
        void setShowUnset() {
            h.env.put("AUTHSESSION_RESEND_COOLDOWN", "2m");
            Result invalid = h.run("config", "set", "challenge_ttl", "ten minutes");
            assertThat(invalid.exit()).isEqualTo(2);
            assertThat(invalid.err()).contains("challenge_ttl", "nothing written");
            assertThat(h.raw.exists(h.prefix() + "config")).isFalse();
            assertThat(h.run("config", "set", "challenge_max_attempts", "0").exit()).isEqualTo(2);
            assertThat(h.run("config", "set", "no_such_field", "1").err()).contains("unknown field");

            Result set = h.run("config", "set", "challenge_ttl", "5m", "--reason", "phishing wave");
            assertThat(set.exit()).isZero();
            assertThat(h.raw.hgetAll(h.prefix() + "config")).containsExactly(Map.entry("challenge_ttl", "5m"));
            assertThat(auditEntries()).singleElement().satisfies(e -> assertThat(e.getFields())
                    .containsEntry("arguments", "field=challenge_ttl value=5m previous=(unset)"));

            h.raw.hset(h.prefix() + "config", "session_idle_timeout", "soon");
            Result show = h.run("config", "show");
            assertThat(show.out()).containsPattern("challenge_ttl\\s+5m\\s+hash")
                    .containsPattern("resend_cooldown\\s+2m\\s+environment AUTHSESSION_RESEND_COOLDOWN")
                    .containsPattern("challenge_max_attempts\\s+5\\s+default")
                    .contains("the hash value 'soon' is invalid");

            Result unset = h.run("config", "unset", "challenge_ttl");
            assertThat(unset.exit()).isZero();
            assertThat(h.raw.hexists(h.prefix() + "config", "challenge_ttl")).isFalse();
            assertThat(h.run("config", "show", "--json").outLines()).anySatisfy(line -> assertThat(line)
                    .contains("\"field\":\"challenge_ttl\"", "\"source\":\"environment\""));
        }
    }

    @Nested
    @DisplayName("code-key")
    class CodeKey {
        @Test
        @DisplayName("generate makes a base64 key of the asked length with its fingerprint; 65 bytes is refused")
        void generate() {
            Result result = h.run("code-key", "generate", "--bytes", "48");
            String key = result.outLines().get(0).substring("key=".length());
            assertThat(Base64.getDecoder().decode(key)).hasSize(48);
            assertThat(result.outLines().get(1)).isEqualTo("fingerprint=" + CodeHashKey.fromBase64(key).fingerprint());
            assertThat(h.run("code-key", "generate").outLines().get(0)).isNotEqualTo("key=" + key);
            assertThat(h.run("code-key", "generate", "--bytes", "65").exit()).isEqualTo(2);
            assertThat(h.run("code-key", "generate", "--bytes", "16").exit()).isEqualTo(2);
        }

        @Test
        @DisplayName("fingerprint prints the configured keys' fingerprints as the server logs them, and of a value")
        void fingerprint() {
            CodeHashKey current = CodeHashKey.fromBase64(AdminHarness.CODE_HASH_KEY);
            Result keys = h.run("code-key", "fingerprint");
            assertThat(keys.outLines()).containsExactly(
                    "event=code_hash_key role=current variable=AUTHSESSION_CODE_HASH_KEY fingerprint="
                            + current.fingerprint(),
                    "event=code_hash_key role=previous variable=AUTHSESSION_CODE_HASH_KEY_PREVIOUS fingerprint=unset");
            assertThat(h.run("code-key", "fingerprint", "--of", "abc").out().strip())
                    .isEqualTo("fingerprint=" + current.fingerprintOf("abc"));
            assertThat(h.run("one\ntwo\n", () -> false, "code-key", "fingerprint", "--of", "-").outLines())
                    .containsExactly("fingerprint=" + current.fingerprintOf("one"),
                            "fingerprint=" + current.fingerprintOf("two"));
        }
    }

    @Nested
    @DisplayName("errors")
    class Errors {
        @Test
        @DisplayName("usage errors and bad configuration are one line and exit 2; an unreachable Redis is exit 1")
        void exits() {
            Result unknown = h.run("sessions", "frobnicate");
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.err().lines()).singleElement().asString().startsWith("authsession admin: ");
            assertThat(h.run().exit()).isEqualTo(2);

            h.env.put("AUTHSESSION_CHALLENGE_TTL", "forever");
            Result config = h.run("config", "show");
            assertThat(config.exit()).isEqualTo(2);
            assertThat(config.err().lines()).singleElement().asString().contains("AUTHSESSION_CHALLENGE_TTL");
            h.env.remove("AUTHSESSION_CHALLENGE_TTL");

            h.env.put("AUTHSESSION_REDIS_ADDR", "127.0.0.1:1");
            h.env.put("AUTHSESSION_STARTUP_CHECK_TIMEOUT", "2s");
            Result down = h.run("sessions", "list", "someone");
            assertThat(down.exit()).isEqualTo(1);
            assertThat(down.err().lines()).singleElement().asString().contains("a dependency failed: redis");
        }
    }
}
