package io.authsession.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A {@code redis-server} process from the {@code embedded-redis} artifact's binary, on a free loopback port, for
 * {@code --dev} and for tests.
 *
 * <p>{@code EmbeddedRedis.builder().maxMemory("64mb").start()} starts one and returns once it answers
 * {@code PING}; {@link #close()} stops it. Standalone, cluster-enabled ({@link Builder#cluster(Duration)}) and
 * Sentinel ({@link Builder#sentinel()}) processes are started the same way. Nothing is persisted ({@code save ""},
 * {@code appendonly no}) unless a setting says otherwise.
 *
 * <p>Where things are: the binary is extracted once to
 * {@code <java.io.tmpdir>/authsession-redis/bin-<sha-256 prefix>/redis-server} and reused by every later run; each
 * process runs in a working directory of its own under {@code <java.io.tmpdir>/authsession-redis/processes/}
 * (configuration, log, {@code nodes.conf}, replication files), removed when the process is {@linkplain #close()
 * closed}.
 *
 * <p>No process outlives its JVM: open processes are stopped by a shutdown hook when the JVM exits (unless
 * {@link Builder#closedByOwnerAtJvmExit()}); when the JVM dies without closing them, even by {@code SIGKILL}, a
 * watchdog process kills them at once; and should both fail, the next start in any JVM finds working directories
 * whose owning JVM is gone, kills their process and removes them.
 *
 * <p>{@link #kill()}, {@link #pause()} and {@link #resume()} send {@code SIGKILL}, {@code SIGSTOP} and
 * {@code SIGCONT} to simulate a crash or a hang; {@link #restart()} starts the process again on the same port in the
 * same directory (a cluster node keeps its identity). Linux and macOS; thread-safe.
 */
public final class EmbeddedRedis implements AutoCloseable {
    /** The loopback address every process binds to. */
    public static final String HOST = "127.0.0.1";
    private static final System.Logger LOG = System.getLogger(EmbeddedRedis.class.getName());
    private static final String CONFIG_FILE = "redis.conf";
    private static final String OUTPUT_FILE = "output.log";
    private static final int PORT_ATTEMPTS = 10;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Set<String> MANAGED = Set.of("port", "bind", "dir", "daemonize", "logfile", "pidfile",
            "include", "cluster-enabled", "cluster-config-file", "cluster-node-timeout", "requirepass", "masterauth",
            "supervised");

    private final Launcher launcher;
    private final Settings settings;
    private final int port;
    private final Path directory;
    private Process process;
    private long pid = -1;
    private boolean paused;
    private boolean closed;

    private EmbeddedRedis(Launcher launcher, Settings settings, int port, Path directory) {
        this.launcher = launcher;
        this.settings = settings;
        this.port = port;
        this.directory = directory;
    }

    /** A builder for a standalone server; see its methods for cluster nodes and sentinels. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a standalone server with the defaults (nothing persisted, no password). */
    public static EmbeddedRedis start() {
        return builder().start();
    }

    /** {@value #HOST}. */
    public String host() {
        return HOST;
    }

    /** The port, the same for the whole life of this object (also after {@link #restart()}). */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return HOST + ":" + port;
    }

    /** The pid of the current process, or of the last one when it is not running. */
    public synchronized long pid() {
        return pid;
    }

    /** Whether the process is alive (also when paused). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Whether the process was paused with {@link #pause()} and not resumed. */
    public synchronized boolean isPaused() {
        return paused && isRunning();
    }

    /** The process's own directory: its configuration, its log ({@code output.log}) and what Redis writes. */
    public Path workingDirectory() {
        return directory;
    }

    /** The password of {@link Builder#password(String)}, if one was set. */
    public Optional<String> password() {
        return Optional.ofNullable(settings.password);
    }

    /** A new connection to this process, authenticated when a password was set; the caller closes it. */
    public RespClient connect() {
        return connect(Duration.ofSeconds(5));
    }

    /** A new connection whose connect and reply timeout is {@code timeout}; the caller closes it. */
    public RespClient connect(Duration timeout) {
        RespClient client = RespClient.connect(HOST, port, timeout);
        try {
            if (settings.password != null) {
                client.auth(null, settings.password);
            }
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Sends {@code SIGKILL}, as a crash would, and waits for the process to end; the directory stays. */
    public synchronized void kill() {
        requireOpen();
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            awaitExit(STOP_GRACE);
        }
        paused = false;
    }

    /** Sends {@code SIGSTOP}: the process keeps its port and connections but answers nothing until resumed. */
    public synchronized void pause() {
        requireRunning();
        signal("STOP");
        paused = true;
    }

    /** Sends {@code SIGCONT} to a paused process. */
    public synchronized void resume() {
        requireRunning();
        signal("CONT");
        paused = false;
    }

    /**
     * Stops the process if it runs and starts it again with the same settings, port and working directory, and
     * waits until it answers. A cluster node keeps its node id and a sentinel its state; data is lost unless a
     * setting persists it.
     *
     * @throws IllegalStateException when the port was taken meanwhile or the process does not come up
     */
    public synchronized void restart() {
        requireOpen();
        terminate();
        launch();
    }

    /** Same as {@link #close()}. */
    public void stop() {
        close();
    }

    /**
     * Stops the process ({@code SIGTERM}, then {@code SIGKILL} after 5 s) and removes its working directory. Calling
     * it again does nothing; the object cannot be restarted afterwards.
     */
    @Override
    public void close() {
        synchronized (this) {
            // A second caller (the JVM's shutdown hook and the owner at once) waits here until the directory is
            // gone, so that neither returns while the first is half-way through.
            if (closed) {
                return;
            }
            closed = true;
            terminate();
            ProcessRegistry.deleteTree(directory);
        }
        launcher.closed(this);
        LOG.log(Level.DEBUG, () -> "event=embedded_redis_stopped port=" + port + " pid=" + pid);
    }

    @Override
    public String toString() {
        return "EmbeddedRedis[" + settings.mode.name().toLowerCase(java.util.Locale.ROOT) + " " + address() + " pid="
                + pid + "]";
    }

    /** The first half of a parallel stop at JVM exit: asks the process to end without waiting. */
    synchronized void beginStop() {
        if (process != null && process.isAlive()) {
            if (paused) {
                signal("CONT");
                paused = false;
            }
            process.destroy();
        }
    }

    private static EmbeddedRedis start(Builder builder) {
        Launcher launcher = builder.launcher;
        launcher.registry().reapStale();
        Path binary = launcher.binary();
        Settings settings = new Settings(builder, binary);
        IntSupplier ports = builder.ports != null ? builder.ports
                : () -> freePort(settings.mode == Mode.CLUSTER);
        IllegalStateException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = ports.getAsInt();
            Path directory = launcher.registry().newWorkingDirectory();
            EmbeddedRedis redis = new EmbeddedRedis(launcher, settings, port, directory);
            try {
                Files.writeString(directory.resolve(CONFIG_FILE), settings.configuration(port, directory),
                        StandardCharsets.UTF_8);
                synchronized (redis) {
                    redis.launch();
                }
                return redis;
            } catch (PortTakenException e) {
                redis.close();
                last = e; // the port was taken between probing and binding: try another
            } catch (IOException e) {
                redis.close();
                throw new UncheckedIOException("could not write the configuration in " + directory, e);
            } catch (RuntimeException | Error e) {
                redis.close();
                throw e;
            }
        }
        throw new IllegalStateException("could not start redis-server: no free port in " + PORT_ATTEMPTS
                + " attempts", last);
    }

    /** Starts the process in the working directory and waits until it answers; holds the lock. */
    private void launch() {
        List<String> command = new ArrayList<>(List.of(settings.binary.toString(), CONFIG_FILE));
        if (settings.mode == Mode.SENTINEL) {
            command.add("--sentinel");
        }
        Path output = directory.resolve(OUTPUT_FILE);
        try {
            process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + settings.binary, e);
        }
        pid = process.pid();
        paused = false;
        if (settings.watchdog) {
            launcher.watchdog().ifPresent(watchdog -> watchdog.guard(pid));
        }
        if (settings.stopAtJvmExit) {
            launcher.started(this);
        }
        closeQuietly(process);
        launcher.registry().recordProcess(directory, process.toHandle());
        awaitReady(output);
        LOG.log(Level.DEBUG, () -> "event=embedded_redis_started mode=" + settings.mode + " port=" + port + " pid="
                + pid + " directory=" + directory);
    }

    private void awaitReady(Path output) {
        long deadline = System.nanoTime() + settings.startTimeout.toNanos();
        String lastProblem = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                awaitExit(STOP_GRACE);
                String log = tail(output);
                if (log.contains("Address already in use")) {
                    throw new PortTakenException(port, log);
                }
                throw new IllegalStateException("redis-server on port " + port + " exited with status "
                        + process.exitValue() + " before answering:\n" + log);
            }
            try (RespClient client = connect(Duration.ofSeconds(1))) {
                client.call("PING");
                // Another server may hold the port while ours fails to bind: only our own pid counts.
                String processId = client.info("server").get("process_id");
                if (Long.toString(pid).equals(processId)) {
                    return;
                }
                lastProblem = "port " + port + " is answered by pid " + processId;
            } catch (UncheckedIOException | RespException e) {
                lastProblem = e.getMessage(); // not listening yet, or LOADING
            }
            pauseBriefly();
        }
        process.destroyForcibly();
        awaitExit(STOP_GRACE);
        throw new IllegalStateException("redis-server on port " + port + " did not answer within "
                + settings.startTimeout + " (" + lastProblem + "):\n" + tail(output));
    }

    private void terminate() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            if (paused) {
                signal("CONT"); // a stopped process would hold SIGTERM until continued
            }
            process.destroy();
            if (!awaitExit(STOP_GRACE)) {
                process.destroyForcibly();
                awaitExit(STOP_GRACE);
            }
        } else {
            awaitExit(STOP_GRACE);
        }
        paused = false;
    }

    /** Waits for the process to end and, once it has, tells the watchdog its pid is free again. */
    private boolean awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (settings.watchdog) {
            launcher.watchdog().ifPresent(watchdog -> watchdog.release(pid));
        }
        return true;
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + name, e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private void requireRunning() {
        requireOpen();
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(this + " is not running");
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // redis-server never reads its standard input
        }
    }

    private static void pauseBriefly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }

    private static String tail(Path output) {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** A free loopback port; for a cluster node also one whose bus port ({@code port + 10000}) is free. */
    static int freePort(boolean withBusPort) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("could not probe a free port", e);
            }
            if (!withBusPort) {
                return port;
            }
            if (port + 10_000 <= 65_535 && isFree(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("found no free port whose cluster bus port (+10000) is free too");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    enum Mode {
        STANDALONE,
        CLUSTER,
        SENTINEL
    }

    /** The redis-server of a port that something else bound first. */
    private static final class PortTakenException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTakenException(int port, String log) {
            super("port " + port + " was taken:\n" + log);
        }
    }

    /** An immutable copy of a builder. */
    private static final class Settings {
        final Mode mode;
        final List<List<String>> lines;
        final String password;
        final Duration clusterNodeTimeout;
        final Duration startTimeout;
        final boolean watchdog;
        final boolean stopAtJvmExit;
        final Path binary;

        Settings(Builder builder, Path binary) {
            this.mode = builder.mode;
            this.lines = List.copyOf(builder.lines);
            this.password = builder.password;
            this.clusterNodeTimeout = builder.clusterNodeTimeout;
            this.startTimeout = builder.startTimeout;
            this.watchdog = builder.watchdog;
            this.stopAtJvmExit = builder.stopAtJvmExit;
            this.binary = binary;
        }

        String configuration(int port, Path directory) {
            StringBuilder config = new StringBuilder();
            line(config, "port", Integer.toString(port));
            line(config, "bind", HOST);
            line(config, "dir", directory.toAbsolutePath().toString());
            line(config, "daemonize", "no");
            line(config, "logfile", "");
            if (mode != Mode.SENTINEL) {
                line(config, "save", "");
                line(config, "appendonly", "no");
            }
            if (mode == Mode.CLUSTER) {
                line(config, "cluster-enabled", "yes");
                line(config, "cluster-config-file", "nodes.conf");
                line(config, "cluster-node-timeout", Long.toString(clusterNodeTimeout.toMillis()));
            }
            if (password != null) {
                line(config, "requirepass", password);
                if (mode != Mode.SENTINEL) {
                    line(config, "masterauth", password);
                }
            }
            for (List<String> setting : lines) {
                line(config, setting.get(0), setting.subList(1, setting.size()).toArray(String[]::new));
            }
            return config.toString();
        }

        private static void line(StringBuilder config, String directive, String... arguments) {
            config.append(directive);
            for (String argument : arguments) {
                config.append(' ').append(quote(argument));
            }
            config.append('\n');
        }

        /** Quotes as redis.conf reads quoted arguments ({@code sdssplitargs}). */
        static String quote(String argument) {
            boolean plain = !argument.isEmpty() && argument.chars().allMatch(c -> c > 0x20 && c < 0x7f
                    && c != '"' && c != '\'' && c != '\\');
            if (plain) {
                return argument;
            }
            StringBuilder quoted = new StringBuilder("\"");
            for (char c : argument.toCharArray()) {
                if (c == '"' || c == '\\') {
                    quoted.append('\\').append(c);
                } else if (c < 0x20 || c == 0x7f) {
                    quoted.append(String.format("\\x%02x", (int) c));
                } else {
                    quoted.append(c);
                }
            }
            return quoted.append('"').toString();
        }
    }

    /**
     * What to start: extra {@code redis.conf} settings and the mode. The launcher owns {@code port}, {@code bind},
     * {@code dir}, {@code daemonize}, {@code logfile} and the cluster and password directives it sets itself; every
     * other directive can be given with {@link #setting}, in the order Redis should read them.
     */
    public static final class Builder {
        private final List<List<String>> lines = new ArrayList<>();
        private Mode mode = Mode.STANDALONE;
        private String password;
        private Duration clusterNodeTimeout = Duration.ofSeconds(1);
        private Duration startTimeout = Duration.ofSeconds(30);
        // for the launcher's own tests
        private Launcher launcher = Launcher.shared();
        private IntSupplier ports;
        private boolean watchdog = true;
        private boolean stopAtJvmExit = true;

        private Builder() {}

        /**
         * Adds a {@code redis.conf} line, quoted as needed: {@code setting("maxmemory-policy", "noeviction")},
         * {@code setting("sentinel", "down-after-milliseconds", "mymaster", "500")}.
         *
         * @throws IllegalArgumentException for a directive the launcher sets itself, or one with blanks
         */
        public Builder setting(String directive, String... arguments) {
            Objects.requireNonNull(directive, "directive");
            Objects.requireNonNull(arguments, "arguments");
            if (directive.isBlank() || !directive.equals(directive.strip()) || directive.contains(" ")) {
                throw new IllegalArgumentException("a directive is one word, got \"" + directive + "\"");
            }
            if (MANAGED.contains(directive.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException(directive + " is set by the launcher");
            }
            List<String> line = new ArrayList<>();
            line.add(directive);
            for (String argument : arguments) {
                line.add(Objects.requireNonNull(argument, "argument"));
            }
            lines.add(List.copyOf(line));
            return this;
        }

        /** {@code maxmemory}, for example {@code "64mb"}. */
        public Builder maxMemory(String size) {
            return setting("maxmemory", Objects.requireNonNull(size, "size"));
        }

        /** {@code maxmemory-policy}, for example {@code "noeviction"} or {@code "allkeys-lru"}. */
        public Builder maxMemoryPolicy(String policy) {
            return setting("maxmemory-policy", Objects.requireNonNull(policy, "policy"));
        }

        /** {@code replicaof host port}: starts as a replica of that server. */
        public Builder replicaOf(String host, int port) {
            Objects.requireNonNull(host, "host");
            return setting("replicaof", host, Integer.toString(port));
        }

        /**
         * {@code requirepass} and {@code masterauth}: clients of the default user need this password, and a replica
         * uses the same one towards its primary (as in a topology where every node shares one password).
         */
        public Builder password(String password) {
            Objects.requireNonNull(password, "password");
            if (password.isEmpty()) {
                throw new IllegalArgumentException("password must not be empty");
            }
            this.password = password;
            return this;
        }

        /**
         * An ACL user: {@code user <name> on ><password> <rules...>}, for example
         * {@code user("app", "secret", "~app:*", "+@all")}.
         */
        public Builder user(String name, String password, String... rules) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(rules, "rules");
            List<String> arguments = new ArrayList<>(List.of(name, "on", ">" + password));
            arguments.addAll(List.of(rules));
            return setting("user", arguments.toArray(String[]::new));
        }

        /**
         * A Redis Cluster node ({@code cluster-enabled yes}, {@code nodes.conf} in the working directory) that fails
         * an unreachable peer after {@code nodeTimeout}. Its port is chosen so that the bus port, {@code port +
         * 10000}, is free too.
         */
        public Builder cluster(Duration nodeTimeout) {
            Objects.requireNonNull(nodeTimeout, "nodeTimeout");
            if (nodeTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("nodeTimeout must be at least 100 ms, got " + nodeTimeout);
            }
            requireStandalone();
            this.mode = Mode.CLUSTER;
            this.clusterNodeTimeout = nodeTimeout;
            return this;
        }

        /**
         * A sentinel ({@code redis-server --sentinel}) instead of a data node. Give what it monitors with
         * {@link #sentinelMonitor} and then {@code setting("sentinel", ...)} lines.
         */
        public Builder sentinel() {
            requireStandalone();
            this.mode = Mode.SENTINEL;
            return this;
        }

        /** {@code sentinel monitor <masterName> <host> <port> <quorum>}; comes before that master's other lines. */
        public Builder sentinelMonitor(String masterName, String host, int port, int quorum) {
            Objects.requireNonNull(masterName, "masterName");
            Objects.requireNonNull(host, "host");
            if (mode != Mode.SENTINEL) {
                throw new IllegalStateException("sentinelMonitor needs sentinel() first");
            }
            if (quorum < 1) {
                throw new IllegalArgumentException("quorum must be at least 1, got " + quorum);
            }
            return setting("sentinel", "monitor", masterName, host, Integer.toString(port), Integer.toString(quorum));
        }

        /**
         * Leaves stopping at JVM exit to the caller's own shutdown sequence, for an owner that must keep Redis up
         * until it has drained its requests (the server in {@code --dev}). Without it the launcher's shutdown hook
         * stops the process as soon as the JVM begins to exit, in parallel with every other hook. Should the JVM end
         * without closing it (a {@code Runtime.halt}, a step that hung), the watchdog still kills the process.
         */
        public Builder closedByOwnerAtJvmExit() {
            this.stopAtJvmExit = false;
            return this;
        }

        /** How long to wait for the process to answer {@code PING} (default 30 s, for a loaded build machine). */
        public Builder startTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, got " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Starts the process on a free loopback port (another one if the port is taken before Redis binds it) and
         * waits until it answers.
         *
         * @throws IllegalStateException when it exits or does not answer within the start timeout (the message holds
         *     the end of its log)
         */
        public EmbeddedRedis start() {
            return EmbeddedRedis.start(this);
        }

        Builder ports(IntSupplier ports) {
            this.ports = ports;
            return this;
        }

        Builder launcher(Launcher launcher) {
            this.launcher = launcher;
            return this;
        }

        /** Leaves the process without a watchdog: only the registry's reaper can stop it after a SIGKILL. */
        Builder withoutWatchdog() {
            this.watchdog = false;
            return this;
        }

        private void requireStandalone() {
            if (mode != Mode.STANDALONE) {
                throw new IllegalStateException("cluster() and sentinel() exclude each other");
            }
        }
    }
}
