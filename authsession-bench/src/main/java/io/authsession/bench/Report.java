package io.authsession.bench;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's figures as Markdown, ready to paste into docs/performance.md. */
final class Report {
    private final Main.Options options;
    private final ZonedDateTime date;
    private final String redisVersion;
    private final String redisSource;
    private final Main.Machine machine;
    Main.Library library;
    List<CommandCounter.Counts> commands;
    RedisCosts.Memory memory;
    final List<HttpBenchmark.Result> http = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    MassLogoutBenchmark.Result logout;

    Report(Main.Options options, ZonedDateTime date, BenchRedis redis, Main.Machine machine) {
        this.options = options;
        this.redisSource = redis.source();
        this.date = date;
        this.redisVersion = redis.version();
        this.machine = machine;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("### Run of ").append(date.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(options.quick() ? " (quick mode: smoke figures, not for comparison)" : "").append("\n\n");
        out.append("- machine: ").append(machine.cpus()).append(" CPUs (").append(machine.cpuModel()).append("), ")
                .append(String.format(Locale.ROOT, "%.1f GiB", machine.memoryMiB() / 1024.0)).append(" memory, ")
                .append(machine.os()).append("; load average at start ").append(machine.loadAverage()).append('\n');
        out.append("- Java: ").append(machine.java()).append("; Redis ").append(redisVersion).append(" (")
                .append(redisSource).append(", from RedisTestServer)\n");
        out.append("- command: `./authsession-bench/run")
                .append(options.arguments().isEmpty() ? "" : " " + options.arguments()).append("`\n\n");
        if (library != null) {
            library(out);
        }
        if (commands != null) {
            commands(out);
        }
        if (memory != null) {
            memory(out);
        }
        for (HttpBenchmark.Result result : http) {
            http(out, result);
        }
        if (http.size() > 1) {
            comparison(out);
        }
        if (logout != null) {
            logout(out, logout);
        }
        if (!failures.isEmpty()) {
            out.append("#### Failed sections\n\n");
            failures.forEach(f -> out.append("- ").append(f).append('\n'));
            out.append('\n');
        }
        return out.toString();
    }

    private void library(StringBuilder out) {
        List<Integer> threads = options.threads();
        out.append("#### Library throughput, operations per second (").append(library.method()).append(")\n\n");
        out.append("| benchmark |");
        threads.forEach(t -> out.append(' ').append(t).append(" threads |"));
        out.append("\n|---|");
        threads.forEach(t -> out.append("---:|"));
        out.append('\n');
        Map<String, Map<Integer, List<double[]>>> runs = library.runs();
        row(out, "authsession lifecycle (send + confirm + list + revoke)", runs.get("authsessionLifecycle"), threads);
        row(out, "Spring Session lifecycle (create + find by principal + delete)", runs.get("springSessionLifecycle"),
                threads);
        out.append("| **lifecycles, authsession / Spring** |");
        for (int t : threads) {
            double[] a = all(runs.get("authsessionLifecycle"), t);
            double[] b = all(runs.get("springSessionLifecycle"), t);
            out.append(a.length == 0 || b.length == 0 ? " – |"
                    : String.format(Locale.ROOT, " **%.2f×** |", Main.mean(a) / Main.mean(b)));
        }
        out.append('\n');
        if (library.pairs().values().stream().anyMatch(p -> p.size() > 1)) {
            out.append("| ratio in each half of the ABBA round |");
            for (int t : threads) {
                List<Double> pairs = library.pairs().getOrDefault(t, List.of());
                out.append(' ').append(String.join(", ", pairs.stream()
                        .map(r -> String.format(Locale.ROOT, "%.2f×", r)).toList())).append(" |");
            }
            out.append('\n');
        }
        row(out, "authsession login (send + confirm)", runs.get("authsessionLogin"), threads);
        out.append("\nMean of the measured iterations ± their standard deviation. Clients: authsession on Jedis with ")
                .append(options.poolSize() == null ? "its default pool of 16 connections"
                        : "a pool of " + options.poolSize() + " connections (`--pool-size`)")
                .append("; Spring Session on Lettuce with one shared connection (Spring Boot's default).\n\n");
    }

    private static double[] all(Map<Integer, List<double[]>> runs, int threads) {
        if (runs == null || !runs.containsKey(threads)) {
            return new double[0];
        }
        return runs.get(threads).stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    private static void row(StringBuilder out, String name, Map<Integer, List<double[]>> runs, List<Integer> threads) {
        out.append("| ").append(name).append(" |");
        for (int t : threads) {
            double[] scores = all(runs, t);
            if (scores.length == 0) {
                out.append(" – |");
                continue;
            }
            double mean = Main.mean(scores);
            double squares = 0;
            for (double score : scores) {
                squares += (score - mean) * (score - mean);
            }
            double sd = scores.length > 1 ? Math.sqrt(squares / (scores.length - 1)) : 0;
            out.append(String.format(Locale.ROOT, " %,.0f ± %,.0f |", mean, sd));
        }
        out.append('\n');
    }

    private void commands(StringBuilder out) {
        out.append("#### Redis work per flow (library, one thread, averaged over runs)\n\n");
        out.append("| flow | round trips (commands sent) | Redis-side commands | commands sent |\n|---|---:|---:|---|\n");
        boolean consistent = true;
        for (CommandCounter.Counts c : commands) {
            out.append("| ").append(c.flow()).append(" | ").append(number(c.clientCommands())).append(" | ")
                    .append(number(c.redisCommands())).append(" | ").append(c.sequence()).append(" |\n");
            consistent &= c.consistent();
        }
        out.append("\nCommands sent are `MONITOR` lines of the client (one round trip each, except that revoke-all "
                + "pipelines its publications); Redis-side commands are `INFO commandstats` deltas, which count every "
                + "command a script ran as well as the `EVALSHA` itself. authsession's periodic runtime-settings read "
                + "(one `HGETALL` at most every 5 s) is left out. ")
                .append(consistent ? "Cross-check passed: client plus script lines seen by `MONITOR` equal the "
                        + "commandstats deltas."
                        : "**Cross-check failed for at least one flow: `MONITOR` and commandstats disagree.**")
                .append("\n\n");
    }

    private void memory(StringBuilder out) {
        out.append("#### Redis memory (`used_memory` deltas)\n\n| what | bytes each | over |\n|---|---:|---:|\n");
        for (RedisCosts.MemoryRow row : memory.rows()) {
            out.append("| ").append(row.what()).append(" | ").append(String.format(Locale.ROOT, "%,.0f", row.bytes()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", row.items())).append(" |\n");
        }
        out.append("\nKeys after the logins, before the transient ones were deleted (`MEMORY USAGE`, up to 200 keys "
                + "sampled per family; it leaves out the keyspace's own overhead, which `used_memory` includes):\n\n"
                + "| key family | keys | bytes per key |\n|---|---:|---:|\n");
        for (RedisCosts.KeyFamily family : memory.sessionKeys()) {
            out.append("| `").append(family.family()).append("` | ")
                    .append(String.format(Locale.ROOT, "%,d", family.keys())).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", family.bytesPerKey())).append(" |\n");
        }
        out.append('\n');
    }

    private static void logout(StringBuilder out, MassLogoutBenchmark.Result r) {
        out.append("#### Mass logout (`admin sessions revoke-everyone`)\n\n");
        out.append(String.format(Locale.ROOT, "%,d users with one or two sessions each (%,d sessions, seeded in %d s),"
                        + " every session projected; the packaged jar's admin in its own process: `%s`, while a login"
                        + " loop (send + confirm, open loop at %,.0f logins/s) runs against the server.%n%n",
                r.users(), r.sessions(), r.seeding().toSeconds(), r.adminCommand(), r.loginRate()));
        out.append("| what | figure |\n|---|---:|\n");
        out.append(String.format(Locale.ROOT, "| dry run: active sessions counted (whole process, JVM start included)"
                + " | %,d in %.1f s |%n", r.expect(), r.dryRunSeconds()));
        out.append(String.format(Locale.ROOT, "| sessions revoked (admin exit status %d) | %,d |%n", r.adminExit(),
                r.revoked()));
        out.append(String.format(Locale.ROOT, "| time revoking (from its \"revoking\" line to its exit) | %.1f s |%n",
                r.revokeSeconds()));
        out.append(String.format(Locale.ROOT, "| **sessions revoked per second** | **%,.0f** |%n", r.sessionsPerSecond()));
        out.append(String.format(Locale.ROOT, "| login p50 / p99 without the mass logout | %s / %s ms (%,d logins) |%n",
                ms(r.baseline().p50Millis()), ms(r.baseline().p99Millis()), r.baseline().completed()));
        out.append(String.format(Locale.ROOT, "| login p50 / p99 during the mass logout | %s / %s ms (%,d logins, %d"
                        + " errors) |%n", ms(r.duringP50Millis()), ms(r.duringP99Millis()), r.duringLogins(),
                r.duringErrors()));
        out.append(String.format(Locale.ROOT, "| **login p99 during / without** | **%.2f×** |%n",
                r.duringP99Millis() / r.baseline().p99Millis()));
        out.append("\nThe admin's output: `").append(r.adminLog()).append("`.");
        if (r.firstError() != null) {
            out.append(" First login error: `").append(r.firstError()).append("`.");
        }
        out.append("\n\n");
    }

    private void http(StringBuilder out, HttpBenchmark.Result http) {
        out.append("#### HTTP: the packaged server under load");
        if (this.http.size() > 1) {
            out.append(" (server ").append((char) ('A' + this.http.indexOf(http))).append(": `").append(http.jar())
                    .append("`)");
        }
        out.append("\n\n");
        out.append("Server: `java ").append(http.jvmArgs().isEmpty() ? "" : http.jvmArgs() + " ")
                .append("-jar authsession-server.jar` (").append(http.jvmArgs().isEmpty() ? "default JVM flags"
                        : "JVM flags as given").append("), its own process, on the run's Redis; user and mail services "
                        + "in `rest` mode, played by a fake in the load tool; internal API with a bearer token. "
                        + "Saturation: closed loop, 32 connections. Latency: open loop (constant arrival rate, "
                        + "64 connections), counted from each request's due time (no coordinated omission). The load "
                        + "tool, the server and Redis share the machine's CPUs.\n\n");
        out.append("| flow | saturation | p50 / p99 at saturation rate (achieved) | p50 / p99 at half rate "
                + "| closed-loop p50 / p99 | errors | server RSS max |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (HttpBenchmark.FlowResult f : http.flows()) {
            long errors = f.saturation().errors() + f.atSaturation().errors() + f.atHalf().errors();
            long cut = f.atSaturation().notStarted() + f.atHalf().notStarted();
            out.append("| ").append(f.flow()).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f %s", f.saturation().throughput(), f.unit())).append(" | ")
                    .append(String.format(Locale.ROOT, "%s / %s ms (%,.0f/s)", ms(f.atSaturation().p50Millis()),
                            ms(f.atSaturation().p99Millis()), f.atSaturation().throughput()))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%s / %s ms (%,.0f/s)", ms(f.atHalf().p50Millis()),
                            ms(f.atHalf().p99Millis()), f.atHalf().throughput()))
                    .append(" | ")
                    .append(ms(f.saturation().p50Millis())).append(" / ").append(ms(f.saturation().p99Millis()))
                    .append(" ms | ").append(errors).append(cut > 0 ? " (+" + cut + " cut off)" : "").append(" | ")
                    .append(mib(f.maxRssKiB())).append(" |\n");
        }
        out.append("\nServer RSS (VmRSS): ").append(mib(http.idleRssKiB())).append(" idle after start, peak (VmHWM) ")
                .append(mib(http.peakRssKiB())).append("; exit status after SIGTERM: ").append(http.exitStatus())
                .append(". Server log: `").append(http.serverLog()).append("`.\n");
        for (HttpBenchmark.FlowResult f : http.flows()) {
            if (f.firstError() != null) {
                out.append("\nFirst error in ").append(f.flow()).append(": `").append(f.firstError()).append("`\n");
            }
        }
        out.append('\n');
    }

    private void comparison(StringBuilder out) {
        HttpBenchmark.Result base = http.get(0);
        out.append("#### HTTP comparison, each server against server A (same run)\n\n| flow |");
        for (int i = 1; i < http.size(); i++) {
            char name = (char) ('A' + i);
            out.append(" ").append(name).append("/A saturation | ").append(name).append("/A p99 at half | ")
                    .append(name).append("/A RSS max |");
        }
        out.append("\n|---|");
        for (int i = 1; i < http.size(); i++) {
            out.append("---:|---:|---:|");
        }
        out.append('\n');
        for (int f = 0; f < base.flows().size(); f++) {
            HttpBenchmark.FlowResult a = base.flows().get(f);
            out.append("| ").append(a.flow()).append(" |");
            for (int i = 1; i < http.size(); i++) {
                HttpBenchmark.FlowResult b = http.get(i).flows().get(f);
                out.append(String.format(Locale.ROOT, " %.2f× | %.2f× | %.2f× |",
                        b.saturation().throughput() / a.saturation().throughput(),
                        b.atHalf().p99Millis() / a.atHalf().p99Millis(), (double) b.maxRssKiB() / a.maxRssKiB()));
            }
            out.append('\n');
        }
        out.append('\n');
    }

    private static String ms(double millis) {
        return millis >= 100 ? String.format(Locale.ROOT, "%,.0f", millis)
                : millis >= 10 ? String.format(Locale.ROOT, "%.1f", millis) : String.format(Locale.ROOT, "%.2f", millis);
    }

    private static String mib(long kib) {
        return String.format(Locale.ROOT, "%,.0f MiB", kib / 1024.0);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
