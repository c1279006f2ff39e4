package io.authsession.server.admin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.authsession.core.AuthSession;
import io.authsession.core.CodeHashKey;
import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.DurationFormat;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.InvalidSettingException;
import io.authsession.core.wire.DeviceSessionJson;
import io.authsession.redis.RedisMaintenance;
import io.authsession.redis.RedisMaintenance.ActiveCount;
import io.authsession.redis.RedisMaintenance.GatewaySnapshot;
import io.authsession.redis.RedisMaintenance.MassLogoutRequest;
import io.authsession.redis.RedisMaintenance.MassLogoutResult;
import io.authsession.server.OperatorEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code admin sessions ...}: a user's sessions, one session, revocations and the mass logout. */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "Lists, shows and revokes device sessions.",
        subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.Show.class, SessionsCommand.Revoke.class,
            SessionsCommand.RevokeUser.class, SessionsCommand.RevokeEveryone.class})
final class SessionsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    SessionsCommand(Context context) {}

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code --operator}, on every command that changes data. */
    static final class OperatorOption {
        @Option(names = "--operator", paramLabel = "NAME",
                description = "Who runs the command, for the audit trail (default: the USER environment variable).")
        String operator;

        String name(Context context) {
            return operator == null || operator.isBlank() ? context.defaultOperator() : operator;
        }
    }

    /** The reason rules of the service (CONTRACT §3): not empty, at most 256 characters, no control character. */
    static String checkReason(String reason) {
        if (reason.isEmpty()) {
            throw new UsageException("--reason must not be empty");
        }
        if (reason.length() > 256) {
            throw new UsageException("--reason must be at most 256 characters");
        }
        if (reason.chars().anyMatch(Character::isISOControl)) {
            throw new UsageException("--reason must not contain control characters");
        }
        return reason;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "A user's sessions, newest first.")
    static final class ListSessions implements Callable<Integer> {
        private final Context context;

        @Parameters(index = "0", paramLabel = "USER_ID", description = "The user.")
        String userId;

        @Option(names = "--status", paramLabel = "STATUS", description = "Only sessions in this status: active, revoked"
                + " or expired.")
        String status;

        @Option(names = "--json", description = "One JSON object per line (the session JSON of the internal API).")
        boolean json;

        ListSessions(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Optional<SessionStatus> wanted = Optional.ofNullable(status).map(s -> {
                try {
                    return SessionStatus.fromWireName(s.toLowerCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--status must be active, revoked or expired, got '" + s + "'");
                }
            });
            List<DeviceSession> sessions = context.connection().auth().listSessions(userId, wanted);
            if (json) {
                sessions.forEach(session -> context.out.println(DeviceSessionJson.write(session)));
                return Exit.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (DeviceSession s : sessions) {
                rows.add(List.of(s.id(), s.status().wireName(), Text.instant(Optional.of(s.createdAt())),
                        Text.instant(s.expiresAt()), Long.toString(s.revision()), Text.instant(s.revokedAt()),
                        s.revokeReason().orElse("-"), s.deviceName().orElse("-")));
            }
            Text.table(context.out, List.of("DEVICE_SESSION_ID", "STATUS", "CREATED_AT", "EXPIRES_AT", "REVISION",
                    "REVOKED_AT", "REVOKE_REASON", "DEVICE_NAME"), rows);
            context.out.println(sessions.size() + " session" + (sessions.size() == 1 ? "" : "s"));
            return Exit.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One session, and what the gateway snapshot holds for it.")
    static final class Show implements Callable<Integer> {
        private final Context context;

        @Parameters(index = "0", paramLabel = "DEVICE_SESSION_ID", description = "The session.")
        String deviceSessionId;

        @Option(names = "--json", description = "One JSON object: the session, the snapshot and its TTL.")
        boolean json;

        Show(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            OperatorEnvironment.Connection connection = context.connection();
            DeviceSession session = connection.auth().findSession(deviceSessionId)
                    .orElseThrow(() -> new UsageException("no device session " + deviceSessionId));
            Optional<GatewaySnapshot> snapshot = connection.maintenance().gatewaySnapshot(deviceSessionId);
            String agreement = agreement(session, snapshot);
            if (json) {
                JsonObject object = new JsonObject();
                object.add("session", JsonParser.parseString(DeviceSessionJson.write(session)));
                object.add("gateway_snapshot", snapshot.<JsonElement>map(s -> parseOrString(s.json())).orElse(null));
                object.addProperty("gateway_snapshot_ttl_ms", snapshot.flatMap(GatewaySnapshot::timeToLive)
                        .map(Duration::toMillis).orElse(null));
                object.addProperty("gateway_agrees", agreement.equals("agrees"));
                context.out.println(Text.JSON.toJson(object));
                return Exit.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("device_session_id", session.id()));
            rows.add(List.of("user_id", session.userId()));
            rows.add(List.of("status", session.status().wireName()));
            rows.add(List.of("created_at", Text.instant(Optional.of(session.createdAt()))));
            rows.add(List.of("expires_at", Text.instant(session.expiresAt())));
            rows.add(List.of("lifetime_cap", Text.instant(session.lifetimeCap())));
            rows.add(List.of("revision", Long.toString(session.revision())));
            rows.add(List.of("revoked_at", Text.instant(session.revokedAt())));
            rows.add(List.of("revoke_reason", session.revokeReason().orElse("-")));
            rows.add(List.of("device_name", session.deviceName().orElse("-")));
            rows.add(List.of("client_public_key", session.clientPublicKey().isPresent() ? "set" : "-"));
            rows.add(List.of("gateway_snapshot", snapshot.map(GatewaySnapshot::json).orElse("none")));
            rows.add(List.of("gateway_snapshot_ttl", snapshot.map(s -> s.timeToLive().map(Text::duration)
                    .orElse("none")).orElse("-")));
            rows.add(List.of("gateway", agreement));
            Text.table(context.out, List.of("FIELD", "VALUE"), rows);
            return Exit.OK;
        }

        private static JsonElement parseOrString(String json) {
            try {
                return JsonParser.parseString(json);
            } catch (RuntimeException e) {
                return new com.google.gson.JsonPrimitive(json);
            }
        }

        /** Whether the snapshot says what the record says (status and revision); an expired session has none. */
        static String agreement(DeviceSession session, Optional<GatewaySnapshot> snapshot) {
            if (snapshot.isEmpty()) {
                return session.status() == SessionStatus.EXPIRED ? "agrees"
                        : "DISAGREES: no snapshot (run admin keys audit --repair, or revoke it again)";
            }
            try {
                JsonObject json = JsonParser.parseString(snapshot.get().json()).getAsJsonObject();
                String status = json.get("status").getAsString();
                long revision = json.get("revision").getAsLong();
                if (session.status() == SessionStatus.EXPIRED) {
                    return "DISAGREES: the session expired but a " + status + " snapshot is still there";
                }
                if (status.equals(session.status().wireName()) && revision == session.revision()) {
                    return "agrees";
                }
                return "DISAGREES: the snapshot is " + status + " at revision " + revision
                        + " (run admin keys audit --repair)";
            } catch (RuntimeException e) {
                return "DISAGREES: the snapshot is not session JSON";
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes one session and projects it to the gateway (a revoked one is projected again).")
    static final class Revoke implements Callable<Integer> {
        private final Context context;

        @Parameters(index = "0", paramLabel = "DEVICE_SESSION_ID", description = "The session.")
        String deviceSessionId;

        @Option(names = "--reason", paramLabel = "REASON", description = "The revoke reason recorded on the session"
                + " (default: " + AuthSession.DEFAULT_REVOKE_REASON + ").")
        String reason;

        @Mixin
        OperatorOption operator;

        Revoke(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Optional<String> why = Optional.ofNullable(reason).map(SessionsCommand::checkReason);
            OperatorEnvironment.Connection connection = context.connection();
            CodeHashKey fingerprints = connection.codeHashKey();
            String arguments = "device_session=" + Text.fingerprint(fingerprints, deviceSessionId);
            AuthSession auth = connection.auth();
            Optional<DeviceSession> before = auth.findSession(deviceSessionId);
            if (before.isEmpty()) {
                throw new UsageException("no device session " + deviceSessionId);
            }
            DeviceSession after;
            try {
                after = auth.revokeSession(deviceSessionId, why);
            } catch (RuntimeException e) {
                AuditTrail.record(context, operator.name(context), "sessions revoke", arguments,
                        why.orElse(AuthSession.DEFAULT_REVOKE_REASON), "revoked=0", "failed");
                throw e;
            }
            boolean changed = after.revision() != before.get().revision();
            context.out.println((changed ? "revoked " : after.status() == SessionStatus.EXPIRED
                    ? "already expired, nothing to revoke: " : "already revoked, projected again: ")
                    + deviceSessionId + " of user " + after.userId());
            AuditTrail.record(context, operator.name(context), "sessions revoke", arguments,
                    why.orElse(AuthSession.DEFAULT_REVOKE_REASON), "revoked=" + (changed ? 1 : 0), "ok");
            return Exit.OK;
        }
    }

    @Command(name = "revoke-user", mixinStandardHelpOptions = true,
            description = "Revokes every active session of a user and projects them (revoked ones again).")
    static final class RevokeUser implements Callable<Integer> {
        private final Context context;

        @Parameters(index = "0", paramLabel = "USER_ID", description = "The user.")
        String userId;

        @Option(names = "--reason", paramLabel = "REASON", description = "The revoke reason recorded on the sessions"
                + " (default: " + AuthSession.DEFAULT_REVOKE_REASON + ").")
        String reason;

        @Mixin
        OperatorOption operator;

        RevokeUser(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Optional<String> why = Optional.ofNullable(reason).map(SessionsCommand::checkReason);
            AuthSession auth = context.connection().auth();
            int revoked;
            try {
                revoked = auth.revokeAllSessions(userId, why);
            } catch (RuntimeException e) {
                AuditTrail.record(context, operator.name(context), "sessions revoke-user", "user_id=" + userId,
                        why.orElse(AuthSession.DEFAULT_REVOKE_REASON), "revoked=0", "failed");
                throw e;
            }
            context.out.println("revoked " + revoked + " session" + (revoked == 1 ? "" : "s") + " of user " + userId);
            AuditTrail.record(context, operator.name(context), "sessions revoke-user", "user_id=" + userId,
                    why.orElse(AuthSession.DEFAULT_REVOKE_REASON), "revoked=" + revoked, "ok");
            return Exit.OK;
        }
    }

    @Command(name = "revoke-everyone", mixinStandardHelpOptions = true,
            description = {"Mass logout: revokes every active session, each projected to the gateway.",
                "Without --execute a dry run: counts users and active sessions and prints the --expect value to use.",
                "With --execute --expect N it refuses to start when the count differs from N by more than 10%,"
                    + " then walks the per-user active indexes in batches; Ctrl-C stops after the batch in flight"
                    + " and prints the --resume cursor. Running it again revokes nothing twice."})
    static final class RevokeEveryone implements Callable<Integer> {
        private final Context context;

        @Option(names = "--reason", required = true, paramLabel = "REASON",
                description = "The revoke reason recorded on every session (required).")
        String reason;

        @Option(names = "--execute", description = "Revoke (without it: a dry run that changes nothing).")
        boolean execute;

        @Option(names = "--expect", paramLabel = "N",
                description = "The active session count of the dry run; required with --execute.")
        Long expect;

        @Option(names = "--batch", paramLabel = "USERS", defaultValue = "500",
                description = "Users per batch, one round trip each (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--pause", paramLabel = "DURATION", defaultValue = "10ms",
                description = "Pause between batches, so that the service keeps its latency (default: ${DEFAULT-VALUE}).")
        String pause;

        @Option(names = "--resume", paramLabel = "CURSOR",
                description = "Continue an interrupted run from the cursor it printed.")
        String resume;

        @Mixin
        OperatorOption operator;

        RevokeEveryone(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String why = checkReason(reason);
            if (batch < 1) {
                throw new UsageException("--batch must be at least 1, got " + batch);
            }
            Duration pauseBetween;
            try {
                pauseBetween = DurationFormat.parse(pause);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--pause: " + e.getMessage());
            }
            if (resume != null) {
                try {
                    RedisMaintenance.checkCursor(resume);
                } catch (InvalidSettingException e) {
                    throw new UsageException("--resume: " + e.rule());
                }
            }
            if (execute && expect == null) {
                throw new UsageException("--execute needs --expect N, the session count of a dry run (run it without"
                        + " --execute first)");
            }
            if (!execute && expect != null) {
                throw new UsageException("--expect goes with --execute");
            }
            OperatorEnvironment.Connection connection = context.connection();
            RedisMaintenance maintenance = connection.maintenance();
            ActiveCount count = maintenance.countActive(batch);
            String arguments = arguments();
            if (!execute) {
                context.out.println("dry run: " + count.users() + " user" + (count.users() == 1 ? "" : "s") + " with "
                        + count.sessions() + " active session" + (count.sessions() == 1 ? "" : "s")
                        + "; nothing was changed");
                context.out.println("to revoke them: admin sessions revoke-everyone --reason " + Text.value(why)
                        + " --execute --expect " + count.sessions() + (resume == null ? "" : " --resume " + resume));
                return Exit.OK;
            }
            if (Math.abs(count.sessions() - expect) * 10 > expect) {
                AuditTrail.record(context, operator.name(context), "sessions revoke-everyone", arguments, why,
                        "users=" + count.users() + " active=" + count.sessions() + " revoked=0", "refused");
                throw new UsageException("refused: " + count.sessions() + " active sessions now, " + expect
                        + " expected (more than 10% apart: the data changed since the dry run); run the dry run again");
            }
            // From here on Ctrl-C waits for the batch in flight (asking also starts the listening).
            if (context.stopRequested.getAsBoolean()) {
                context.out.println("interrupted before revoking anything");
                AuditTrail.record(context, operator.name(context), "sessions revoke-everyone", arguments, why,
                        "users=0 revoked=0", "interrupted");
                return Exit.INTERRUPTED;
            }
            context.err.println("revoke-everyone: revoking " + count.sessions() + " active sessions of " + count.users()
                    + " users, " + batch + " users per batch, " + DurationFormat.format(pauseBetween) + " between");
            context.err.flush();
            MassLogoutResult result;
            try (Progress progress = Progress.start(context, "revoke-everyone", "sessions", count.sessions())) {
                result = maintenance.revokeEveryone(new MassLogoutRequest(why, batch, pauseBetween,
                                context.environment().revokedSessionRetention(), Optional.ofNullable(resume)),
                        p -> progress.update(p.revoked(), p.users() + " users"), context.stopRequested);
            }
            String counts = "users=" + result.users() + " revoked=" + result.revoked() + " published="
                    + result.published();
            if (result.complete()) {
                context.out.println("revoked " + result.revoked() + " sessions of " + result.users() + " users");
                AuditTrail.record(context, operator.name(context), "sessions revoke-everyone", arguments, why, counts,
                        "ok");
                return Exit.OK;
            }
            String cursor = result.resumeCursor().orElseThrow();
            long remaining = Math.max(0, count.sessions() - result.revoked());
            String resumeLine = "admin sessions revoke-everyone --reason " + Text.value(why) + " --execute --expect "
                    + remaining + " --resume " + cursor;
            if (result.failure().isPresent()) {
                context.out.println("stopped: " + result.failure().get());
                context.out.println("revoked " + result.revoked() + " sessions so far; once Redis answers, continue"
                        + " with --resume " + cursor + ":");
                context.out.println("  " + resumeLine);
                context.out.println("then run admin keys audit --repair for any revocation left unprojected");
                AuditTrail.record(context, operator.name(context), "sessions revoke-everyone", arguments, why, counts,
                        "failed resume=" + cursor);
                return Exit.DEPENDENCY;
            }
            context.out.println("interrupted after " + result.revoked() + " sessions of " + result.users()
                    + " users; continue with --resume " + cursor + ":");
            context.out.println("  " + resumeLine);
            AuditTrail.record(context, operator.name(context), "sessions revoke-everyone", arguments, why, counts,
                    "interrupted resume=" + cursor);
            return Exit.INTERRUPTED;
        }

        private String arguments() {
            StringBuilder text = new StringBuilder(execute ? "--execute --expect " + expect : "--dry-run");
            text.append(" --batch ").append(batch).append(" --pause ").append(pause);
            if (resume != null) {
                text.append(" --resume ").append(resume);
            }
            return text.toString();
        }
    }
}
