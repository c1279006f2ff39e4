package io.authsession.server.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.authsession.core.CodeHashKey;
import io.authsession.core.domain.DurationFormat;
import io.authsession.redis.RedisMaintenance.AuditReport;
import io.authsession.redis.RedisMaintenance.AuditRequest;
import io.authsession.redis.RedisMaintenance.Finding;
import io.authsession.redis.RedisMaintenance.KeyKind;
import io.authsession.redis.RedisMaintenance.KindUsage;
import io.authsession.redis.RedisMaintenance.Problem;
import io.authsession.redis.RedisMaintenance.Repair;
import io.authsession.server.OperatorEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code admin keys audit [--repair]}: the health of the data in Redis. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "The health of authsession's keys in Redis.",
        subcommands = KeysCommand.Audit.class)
final class KeysCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    KeysCommand(Context context) {}

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required: audit");
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = {"Walks authsession's prefix and the gateway snapshot prefix with SCAN: keys and approximate"
                    + " memory by kind, and every problem: keys without the TTL they need, index entries whose record"
                    + " is gone, records missing from their user's index, gateway snapshots that disagree with the"
                    + " source of truth (active for a revoked, expired or missing session, or a revision behind),"
                    + " keys of unknown shape under the prefix.",
                "Exit status 0 when clean, 3 when it found problems (with --repair: when some are left)."})
    static final class Audit implements Callable<Integer> {
        private final Context context;

        @Option(names = "--repair", description = "Fix what can be fixed: re-publish true snapshots (snapshot and"
                + " event), drop dangling index entries, re-index records, set missing TTLs, UNLINK orphans; say what"
                + " could not be fixed.")
        boolean repair;

        @Option(names = "--json", description = "One JSON object instead of the tables.")
        boolean json;

        @Option(names = "--batch", paramLabel = "KEYS", defaultValue = "500",
                description = "Keys per SCAN page and per round trip (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--pause", paramLabel = "DURATION", defaultValue = "10ms",
                description = "Pause between batches (default: ${DEFAULT-VALUE}).")
        String pause;

        @Option(names = "--sample", paramLabel = "KEYS", defaultValue = "200",
                description = "Keys of each kind measured with MEMORY USAGE (default: ${DEFAULT-VALUE}).")
        int sample;

        @Option(names = "--reason", paramLabel = "REASON", defaultValue = "audit_repair",
                description = "With --repair: the revoke reason of an active snapshot whose session is gone"
                        + " (default: ${DEFAULT-VALUE}).")
        String reason;

        @Mixin
        SessionsCommand.OperatorOption operator;

        Audit(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String why = SessionsCommand.checkReason(reason);
            if (batch < 1) {
                throw new UsageException("--batch must be at least 1, got " + batch);
            }
            if (sample < 0) {
                throw new UsageException("--sample must not be negative, got " + sample);
            }
            Duration pauseBetween;
            try {
                pauseBetween = DurationFormat.parse(pause);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--pause: " + e.getMessage());
            }
            OperatorEnvironment.Connection connection = context.connection();
            AuditReport report;
            try (Progress progress = Progress.start(context, "keys audit", "keys", 0)) {
                report = connection.maintenance().audit(new AuditRequest(repair, batch, pauseBetween, sample,
                        context.environment().revokedSessionRetention(), why), scanned -> progress.update(scanned, ""));
            }
            CodeHashKey fingerprints = connection.codeHashKey();
            if (json) {
                context.out.println(Text.JSON.toJson(json(report, fingerprints)));
            } else {
                print(report, fingerprints);
            }
            List<Finding> left = report.unresolved();
            if (repair) {
                AuditTrail.record(context, operator.name(context), "keys audit --repair", "--batch " + batch
                                + " --pause " + pause + " --sample " + sample, why,
                        "found=" + report.findings().size() + " fixed=" + (report.findings().size() - left.size())
                                + " left=" + left.size(), left.isEmpty() ? "ok" : "partial");
            }
            return left.isEmpty() ? Exit.OK : Exit.PROBLEMS;
        }

        private void print(AuditReport report, CodeHashKey fingerprints) {
            List<List<String>> usage = new ArrayList<>();
            long keys = 0;
            long bytes = 0;
            for (Map.Entry<KeyKind, KindUsage> kind : report.usage().entrySet()) {
                usage.add(List.of(kind.getKey().label(), Long.toString(kind.getValue().keys()),
                        Text.bytes(kind.getValue().approximateBytes())));
                keys += kind.getValue().keys();
                bytes += kind.getValue().approximateBytes();
            }
            usage.add(List.of("total", Long.toString(keys), Text.bytes(bytes)));
            Text.table(context.out, List.of("KIND", "KEYS", "APPROX_MEMORY"), usage);
            context.out.println();

            Map<Problem, List<Finding>> byProblem = new EnumMap<>(Problem.class);
            for (Finding finding : report.findings()) {
                byProblem.computeIfAbsent(finding.problem(), p -> new ArrayList<>()).add(finding);
            }
            List<List<String>> problems = new ArrayList<>();
            for (Problem problem : Problem.values()) {
                List<Finding> found = byProblem.getOrDefault(problem, List.of());
                long fixed = found.stream().filter(f -> f.repair() == Repair.FIXED).count();
                problems.add(List.of(name(problem), Integer.toString(found.size()), repair ? Long.toString(fixed) : "-",
                        problem.description()));
            }
            Text.table(context.out, List.of("PROBLEM", "FOUND", "FIXED", "WHAT"), problems);
            if (!report.findings().isEmpty()) {
                context.out.println();
                List<List<String>> rows = new ArrayList<>();
                for (Finding f : report.findings()) {
                    rows.add(List.of(name(f.problem()), Text.redact(f.key(), f.deviceSessionId(), fingerprints),
                            f.detail() + (f.note().isEmpty() ? "" : " [" + f.repair().name().toLowerCase(
                                    java.util.Locale.ROOT).replace('_', ' ') + ": " + f.note() + "]")));
                }
                Text.table(context.out, List.of("PROBLEM", "KEY", "DETAIL"), rows);
            }
            context.out.println();
            int left = report.unresolved().size();
            if (report.findings().isEmpty()) {
                context.out.println("audit: clean (" + report.keysScanned() + " keys walked)");
            } else if (repair) {
                context.out.println("audit: " + report.findings().size() + " problems found, "
                        + (report.findings().size() - left) + " fixed, " + left + " left");
            } else {
                context.out.println("audit: " + report.findings().size() + " problems found; admin keys audit --repair"
                        + " fixes what it can");
            }
        }

        private static String name(Problem problem) {
            return problem.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        private JsonObject json(AuditReport report, CodeHashKey fingerprints) {
            JsonObject root = new JsonObject();
            root.addProperty("keys_scanned", report.keysScanned());
            JsonObject usage = new JsonObject();
            report.usage().forEach((kind, u) -> {
                JsonObject entry = new JsonObject();
                entry.addProperty("keys", u.keys());
                entry.addProperty("approximate_bytes", u.approximateBytes());
                usage.add(name(kind), entry);
            });
            root.add("usage", usage);
            JsonArray findings = new JsonArray();
            for (Finding f : report.findings()) {
                JsonObject entry = new JsonObject();
                entry.addProperty("problem", name(f.problem()));
                entry.addProperty("key", Text.redact(f.key(), f.deviceSessionId(), fingerprints));
                entry.addProperty("device_session", f.deviceSessionId().map(id -> Text.fingerprint(fingerprints, id))
                        .orElse(null));
                entry.addProperty("detail", f.detail());
                entry.addProperty("repair", f.repair().name().toLowerCase(java.util.Locale.ROOT));
                entry.addProperty("note", f.note());
                findings.add(entry);
            }
            root.add("findings", findings);
            root.addProperty("unresolved", report.unresolved().size());
            return root;
        }

        private static String name(KeyKind kind) {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
