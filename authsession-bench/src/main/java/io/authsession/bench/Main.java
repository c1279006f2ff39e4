package io.authsession.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark of authsession in one go and prints a Markdown report (also written to a file): library
 * throughput beside Spring Session (JMH), Redis commands and memory per flow, and the packaged server under HTTP load.
 * Usage: {@link #USAGE}; see docs/performance.md.
 */
public final class Main {
    private static final long STARTED = System.nanoTime();

    private Main() {}

    static final String USAGE = "usage: ./authsession-bench/run [--quick] [--only=library,redis,http] [--threads=8,32]"
            + " [--pool-size=N] [--server-jar=PATH] [--server-jvm-args='-Xmx256m ...'] [--server=JAR[::JVM ARGS]]..."
            + " [--service-latency=MS] [--out=PATH] [--logout-users=N] [--logout-login-rate=R] [--logout-batch=USERS]"
            + " [--logout-pause=DURATION]";

    /** A server to load over HTTP: a jar and the JVM flags to start it with. */
    record ServerVariant(Path jar, List<String> jvmArgs) {
        /** {@code JAR} or {@code JAR::JVM ARGS}. */
        static ServerVariant parse(String spec) {
            int split = spec.indexOf("::");
            return split < 0 ? new ServerVariant(Path.of(spec), List.of())
                    : new ServerVariant(Path.of(spec.substring(0, split)), words(spec.substring(split + 2)));
        }

        String label() {
            return jar + (jvmArgs.isEmpty() ? " (default JVM flags)" : " with " + String.join(" ", jvmArgs));
        }
    }

    /** The benchmark's settings, from the command line. */
    record Options(boolean quick, Set<String> sections, List<Integer> threads, Integer poolSize,
            List<ServerVariant> servers, Path out, String arguments, int logoutUsers, double logoutLoginRate,
            String logoutPause, int logoutBatch, Duration serviceLatency) {
        static Options parse(String[] args) {
            boolean quick = Boolean.getBoolean("authsession.bench.quick");
            Set<String> sections = new TreeSet<>(SECTIONS);
            Integer logoutUsers = null;
            double logoutLoginRate = 100;
            String logoutPause = "10ms";
            int logoutBatch = 500;
            List<Integer> threads = List.of(8, 32);
            Integer poolSize = null;
            Path serverJar = Path.of("authsession-server", "target", "authsession-server.jar");
            List<String> jvmArgs = List.of();
            List<ServerVariant> servers = new ArrayList<>();
            Path out = Path.of("authsession-bench", "target", "bench-report.md");
            Duration serviceLatency = Duration.ZERO;
            for (String arg : args) {
                if (arg.equals("--quick")) {
                    quick = true;
                } else if (arg.startsWith("--only=")) {
                    sections = new TreeSet<>(Arrays.asList(value(arg).split(",")));
                    if (!SECTIONS.containsAll(sections)) {
                        throw new IllegalArgumentException("--only takes library, redis, http and logout, got "
                                + value(arg));
                    }
                } else if (arg.startsWith("--threads=")) {
                    threads = Arrays.stream(value(arg).split(",")).map(String::strip).map(Integer::valueOf).toList();
                } else if (arg.startsWith("--pool-size=")) {
                    poolSize = Integer.valueOf(value(arg));
                } else if (arg.startsWith("--server-jar=")) {
                    serverJar = Path.of(value(arg));
                } else if (arg.startsWith("--server-jvm-args=")) {
                    jvmArgs = words(value(arg));
                } else if (arg.startsWith("--server=")) {
                    servers.add(ServerVariant.parse(value(arg)));
                } else if (arg.startsWith("--service-latency=")) {
                    serviceLatency = Duration.ofMillis(Long.parseLong(value(arg).replaceFirst("ms$", "")));
                } else if (arg.startsWith("--out=")) {
                    out = Path.of(value(arg));
                } else if (arg.startsWith("--logout-users=")) {
                    logoutUsers = Integer.valueOf(value(arg));
                } else if (arg.startsWith("--logout-login-rate=")) {
                    logoutLoginRate = Double.parseDouble(value(arg));
                } else if (arg.startsWith("--logout-pause=")) {
                    logoutPause = value(arg);
                } else if (arg.startsWith("--logout-batch=")) {
                    logoutBatch = Integer.parseInt(value(arg));
                } else {
                    throw new IllegalArgumentException("unknown argument " + arg + "\n" + USAGE);
                }
            }
            if (servers.isEmpty()) {
                servers.add(new ServerVariant(serverJar, jvmArgs));
            }
            return new Options(quick, sections, threads, poolSize, List.copyOf(servers), out, String.join(" ", args),
                    logoutUsers != null ? logoutUsers : quick ? 10_000 : 100_000, logoutLoginRate, logoutPause,
                    logoutBatch, serviceLatency);
        }

        private static String value(String arg) {
            return arg.substring(arg.indexOf('=') + 1);
        }
    }

    /** The sections of a run, in the order they run. */
    static final List<String> SECTIONS = List.of("library", "redis", "http", "logout");

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Logger.getLogger("").setLevel(Level.WARNING);
        Logger.getLogger("").getHandlers()[0].setLevel(Level.WARNING);
        progress("starting Redis");
        BenchRedis redis = BenchRedis.start();
        Report report = new Report(options, ZonedDateTime.now(ZoneOffset.UTC), redis, Machine.describe());
        boolean failed = false;

        if (options.sections().contains("library")) {
            try {
                report.library = library(redis, options);
            } catch (Exception e) {
                failed = true;
                report.failures.add("library: " + e);
                e.printStackTrace();
            }
        }
        if (options.sections().contains("redis")) {
            try {
                progress("redis: commands per flow");
                report.commands = RedisCosts.commands(redis, options.quick() ? 10 : 50);
                progress("redis: memory per item");
                report.memory = RedisCosts.memory(redis, options.quick() ? 2_000 : 20_000);
            } catch (Exception e) {
                failed = true;
                report.failures.add("redis: " + e);
                e.printStackTrace();
            }
        }
        if (options.sections().contains("http")) {
            try {
                Duration warmUp = Duration.ofSeconds(options.quick() ? 2 : 5);
                Duration phase = Duration.ofSeconds(options.quick() ? 3 : 10);
                for (int i = 0; i < options.servers().size(); i++) {
                    ServerVariant server = options.servers().get(i);
                    progress("http: " + server.label());
                    report.http.add(new HttpBenchmark().run(redis, new HttpBenchmark.Settings(server.jar(),
                            server.jvmArgs(), 32, 64, warmUp, phase,
                            Path.of("authsession-bench", "target", "http-" + (i + 1)), options.serviceLatency())));
                }
            } catch (Exception e) {
                failed = true;
                report.failures.add("http: " + e);
                e.printStackTrace();
            }
        }

        if (options.sections().contains("logout")) {
            try {
                progress("logout: mass logout of " + options.logoutUsers() + " users");
                // The last server given: in an A/B run (--server=before --server=after) the build under test.
                List<ServerVariant> servers = options.servers();
                report.logout = new MassLogoutBenchmark().run(redis, new MassLogoutBenchmark.Settings(
                        servers.get(servers.size() - 1).jar(), options.logoutUsers(), options.logoutLoginRate(),
                        Duration.ofSeconds(options.quick() ? 5 : 10), options.logoutBatch(), options.logoutPause(),
                        Path.of("authsession-bench", "target", "logout")));
            } catch (Exception e) {
                failed = true;
                report.failures.add("logout: " + e);
                e.printStackTrace();
            }
        }

        String text = report.render();
        System.out.println(text);
        if (options.out().getParent() != null) {
            Files.createDirectories(options.out().getParent());
        }
        Files.writeString(options.out(), text);
        progress("report written to " + options.out());
        System.exit(failed ? 1 : 0);
    }

    /**
     * JMH throughput: per benchmark and thread count, the iteration scores of each of its runs (operations/s).
     *
     * @param pairs per thread count, the lifecycle ratio authsession/Spring of each ABBA half
     */
    record Library(Map<String, Map<Integer, List<double[]>>> runs, Map<Integer, List<Double>> pairs, String method) {}

    private static final String AUTHSESSION = "authsessionLifecycle";
    private static final String SPRING = "springSessionLifecycle";
    private static final String LOGIN = "authsessionLogin";

    /**
     * Per thread count: authsession, Spring, Spring, authsession (one ABBA round; A, B with {@code --quick}), then the
     * login. A drift of the machine during the runs then weighs on both libraries alike.
     */
    private static Library library(BenchRedis redis, Options options) throws Exception {
        int warmup = options.quick() ? 2 : 5;
        int iterations = options.quick() ? 2 : 4;
        int seconds = options.quick() ? 2 : 3;
        List<String> order = options.quick() ? List.of(AUTHSESSION, SPRING, LOGIN)
                : List.of(AUTHSESSION, SPRING, SPRING, AUTHSESSION, LOGIN);
        Map<String, Map<Integer, List<double[]>>> runs = new LinkedHashMap<>();
        Map<Integer, List<Double>> pairs = new LinkedHashMap<>();
        for (int threads : options.threads()) {
            progress("library: JMH at " + threads + " threads (" + String.join(", ", order) + "; about "
                    + order.size() * (warmup + iterations * seconds + 4) + " s)");
            for (String benchmark : order) {
                OptionsBuilder jmh = new OptionsBuilder();
                jmh.include(LibraryBenchmarks.class.getName() + "\\." + benchmark + "$");
                jmh.threads(threads)
                        .forks(1)
                        .warmupIterations(1)
                        .warmupTime(TimeValue.seconds(warmup))
                        .measurementIterations(iterations)
                        .measurementTime(TimeValue.seconds(seconds))
                        .jvmArgsAppend(forkArguments(redis, options))
                        .shouldFailOnError(true)
                        .verbosity(VerboseMode.SILENT);
                for (RunResult result : new Runner(jmh.build()).run()) {
                    double[] scores = result.getBenchmarkResults().stream()
                            .flatMap(r -> r.getIterationResults().stream())
                            .mapToDouble(i -> i.getPrimaryResult().getScore())
                            .toArray();
                    runs.computeIfAbsent(benchmark, n -> new LinkedHashMap<>())
                            .computeIfAbsent(threads, t -> new ArrayList<>()).add(scores);
                }
            }
            List<double[]> a = runs.get(AUTHSESSION).get(threads);
            List<double[]> b = runs.get(SPRING).get(threads);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                // ABBA: the first A goes with the first B, the last A with the last B
                ratios.add(mean(a.get(i)) / mean(b.get(i)));
            }
            pairs.put(threads, ratios);
        }
        String method = "JMH, a fork per run, 1 × " + warmup + " s warm-up and " + iterations + " × " + seconds
                + " s measured per run; " + (options.quick() ? "one run each" : "lifecycles run in the order "
                + "authsession, Spring, Spring, authsession") + "; every run starts on an emptied Redis";
        return new Library(runs, pairs, method);
    }

    private static String[] forkArguments(BenchRedis redis, Options options) {
        List<String> arguments = new ArrayList<>(List.of("-D" + BenchRedis.PROPERTY + "=" + redis.address(), "-Xmx2g"));
        if (options.poolSize() != null) {
            arguments.add("-D" + AuthSessionRig.POOL_SIZE_PROPERTY + "=" + options.poolSize());
        }
        return arguments.toArray(String[]::new);
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    static void progress(String message) {
        System.err.printf("[bench %4ds] %s%n", (System.nanoTime() - STARTED) / 1_000_000_000L, message);
    }

    /** Where the figures were taken. */
    record Machine(int cpus, String cpuModel, long memoryMiB, String os, String java, String loadAverage) {
        static Machine describe() {
            return new Machine(Runtime.getRuntime().availableProcessors(),
                    proc("/proc/cpuinfo", "model name").orElse("unknown CPU"),
                    proc("/proc/meminfo", "MemTotal").map(v -> Long.parseLong(v.replace("kB", "").trim()) / 1024)
                            .orElse(-1L),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    read("/proc/loadavg").map(l -> String.join(" ", Arrays.asList(l.split(" ")).subList(0, 3)))
                            .orElse("unknown"));
        }

        private static Optional<String> proc(String file, String field) {
            return read(file).flatMap(text -> text.lines().filter(l -> l.startsWith(field))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst());
        }

        private static Optional<String> read(String file) {
            try {
                return Optional.of(Files.readString(Path.of(file)).strip());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }
}
