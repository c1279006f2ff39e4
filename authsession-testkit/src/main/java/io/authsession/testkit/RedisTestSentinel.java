package io.authsession.testkit;

import io.authsession.embedded.EmbeddedRedis;
import io.authsession.embedded.RespClient;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A real Redis Sentinel group for tests: one primary, one replica and three sentinels (quorum 2,
 * {@code down-after-milliseconds} 500, {@code failover-timeout} 2000) monitoring it as {@value #MASTER_NAME},
 * shared by every test of a JVM and stopped when the JVM exits.
 *
 * <p>Where it comes from: the sentinels and master name in {@code AUTHSESSION_TEST_REDIS_SENTINEL_URL} when set
 * ({@code redis-sentinel://[user:password@]host:port[,host:port...]/<master-name>}; the credentials are those of the
 * data nodes, the sentinels are reached without); otherwise five embedded {@code redis-server} processes on free
 * loopback ports, returned once the sentinels agree on the primary, know each other and see the replica in sync.
 * Starting takes a few seconds (sentinels discover each other through hello messages every two seconds), once per
 * JVM, on first use. Tests share it and isolate themselves with key prefixes of their own.
 *
 * <p>Failover tests (only on the embedded group, {@link #isPrivate()}) {@link #kill} or {@link #pause} the
 * {@link #primary()}, {@link #awaitFailover} until the sentinels have promoted the replica (a couple of seconds), then
 * {@link #restart} or {@link #resume} the former primary and {@link #awaitHealthy}, which makes it a replica of its
 * successor. Roles therefore move between tests: ask {@link #primary()} rather than remembering it. A test that
 * failed half-way is repaired by the next {@link #shared()} call.
 */
public final class RedisTestSentinel {
    /** The environment variable naming an existing Sentinel group to test against. */
    public static final String URL_VARIABLE = "AUTHSESSION_TEST_REDIS_SENTINEL_URL";
    /** The master name the embedded sentinels monitor. */
    public static final String MASTER_NAME = "authsession";
    private static final System.Logger LOG = System.getLogger(RedisTestSentinel.class.getName());
    private static final int SENTINELS = 3;
    private static final int QUORUM = 2;
    private static final Duration DOWN_AFTER = Duration.ofMillis(500);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    private static RedisTestSentinel shared;

    private final String masterName;
    private final List<RedisEndpoint> sentinels;
    private final TopologyUrl credentials;
    private final Map<RedisEndpoint, EmbeddedRedis> dataNodes;
    private final Map<RedisEndpoint, EmbeddedRedis> sentinelProcesses;
    private boolean disturbed;

    private RedisTestSentinel(String masterName, List<RedisEndpoint> sentinels, TopologyUrl credentials,
            Map<RedisEndpoint, EmbeddedRedis> dataNodes, Map<RedisEndpoint, EmbeddedRedis> sentinelProcesses) {
        this.masterName = masterName;
        this.sentinels = List.copyOf(sentinels);
        this.credentials = credentials;
        this.dataNodes = dataNodes;
        this.sentinelProcesses = sentinelProcesses;
    }

    /**
     * The Sentinel group of this JVM, started on first use; later calls first restore a group that a test left
     * with a process killed or paused.
     *
     * @throws AssertionError when the group does not become healthy within a minute
     */
    public static synchronized RedisTestSentinel shared() {
        if (shared == null) {
            long started = System.nanoTime();
            shared = create();
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            LOG.log(Level.INFO, () -> "event=test_redis_sentinel_ready source=" + (shared.isPrivate() ? "embedded"
                    : "environment") + " sentinels=" + shared.sentinels + " master_name=" + shared.masterName
                    + " elapsed_ms=" + elapsed);
        } else if (shared.disturbed) {
            shared.repair();
        }
        return shared;
    }

    /** Whether the tests own the group and may kill, pause and restart its processes (embedded, not the environment's). */
    public boolean isPrivate() {
        return !dataNodes.isEmpty();
    }

    /** The name the sentinels monitor the primary under. */
    public String masterName() {
        return masterName;
    }

    /** The sentinels' addresses. */
    public List<RedisEndpoint> sentinels() {
        return sentinels;
    }

    /** {@code user:password} of the data nodes from the environment URL, if it has them; the embedded group needs none. */
    public Optional<String> userInfo() {
        return credentials.userInfo();
    }

    /** The data nodes: the embedded primary and replica, or what the environment's sentinels report. */
    public List<RedisEndpoint> dataNodes() {
        if (isPrivate()) {
            return List.copyOf(dataNodes.keySet());
        }
        List<RedisEndpoint> nodes = new ArrayList<>();
        nodes.add(primary());
        nodes.addAll(replicas());
        return List.copyOf(nodes);
    }

    /** The primary now, as most reachable sentinels name it. */
    public RedisEndpoint primary() {
        Map<RedisEndpoint, Long> votes = reachableSentinels().stream()
                .map(this::primaryNamedBy)
                .flatMap(Optional::stream)
                .collect(Collectors.groupingBy(Function.identity(), LinkedHashMap::new, Collectors.counting()));
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow(() -> new IllegalStateException("no sentinel names a primary for " + masterName));
    }

    /** The replicas now: the embedded data nodes other than the primary, or those a sentinel reports up. */
    public List<RedisEndpoint> replicas() {
        RedisEndpoint primary = primary();
        if (isPrivate()) {
            return dataNodes.keySet().stream().filter(node -> !node.equals(primary))
                    .collect(Collectors.toUnmodifiableList());
        }
        return replicasSeenBy(reachableSentinels().get(0)).stream()
                .filter(replica -> !replica.get("flags").contains("down"))
                .map(replica -> new RedisEndpoint(replica.get("ip"), Integer.parseInt(replica.get("port"))))
                .collect(Collectors.toUnmodifiableList());
    }

    /** A new connection to a data node, authenticated with the environment's credentials; the caller closes it. */
    public RespClient connect(RedisEndpoint node) {
        Objects.requireNonNull(node, "node");
        RespClient client = RespClient.connect(node.host(), node.port(), CALL_TIMEOUT);
        try {
            Optional<String> password = credentials.password();
            if (password.isPresent() && !sentinels.contains(node)) {
                client.auth(credentials.user().orElse(null), password.get());
            }
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Sends {@code SIGKILL} to a data node or a sentinel, as a crash would. */
    public synchronized void kill(RedisEndpoint node) {
        EmbeddedRedis process = process(node);
        disturbed = true;
        process.kill();
    }

    /** Sends {@code SIGSTOP} to a data node or a sentinel: it keeps its connections and answers nothing. */
    public synchronized void pause(RedisEndpoint node) {
        EmbeddedRedis process = process(node);
        disturbed = true;
        process.pause();
    }

    /** Sends {@code SIGCONT} to a paused process. */
    public synchronized void resume(RedisEndpoint node) {
        disturbed = true;
        process(node).resume();
    }

    /** Starts a killed process again on its port; follow with {@link #awaitHealthy}. */
    public synchronized void restart(RedisEndpoint node) {
        disturbed = true;
        process(node).restart();
    }

    /**
     * Waits until every reachable sentinel names a primary other than {@code formerPrimary}, the same one, and that
     * node reports {@code role:master}; returns it.
     *
     * @throws AssertionError when the failover does not finish within {@code timeout}
     */
    public RedisEndpoint awaitFailover(RedisEndpoint formerPrimary, Duration timeout) {
        Objects.requireNonNull(formerPrimary, "formerPrimary");
        Objects.requireNonNull(timeout, "timeout");
        RedisEndpoint[] successor = new RedisEndpoint[1];
        Poll.until(timeout, "failover of " + formerPrimary, () -> {
            RedisEndpoint agreed = null;
            for (RedisEndpoint sentinel : reachableSentinels()) {
                Optional<RedisEndpoint> named = primaryNamedBy(sentinel);
                if (named.isEmpty() || named.get().equals(formerPrimary)) {
                    return sentinel + " names " + named.map(String::valueOf).orElse("no primary");
                }
                if (agreed != null && !agreed.equals(named.get())) {
                    return "sentinels disagree: " + agreed + " vs " + named.get();
                }
                agreed = named.get();
            }
            try (RespClient client = connect(agreed)) {
                String role = client.info("replication").get("role");
                successor[0] = agreed;
                return "master".equals(role) ? null : agreed + " reports role:" + role;
            }
        });
        return successor[0];
    }

    /**
     * Waits until every process runs, the sentinels agree on the primary, know each other and can authorise a
     * failover, and the replica is in sync and reachable as a replica by every sentinel (for the environment's group: until the
     * sentinels agree and reach their quorum). A former primary that came back still believing itself primary is
     * made a replica of its successor, as Sentinel itself would do some ten seconds later.
     *
     * @throws AssertionError when that is not reached within {@code timeout}
     */
    public void awaitHealthy(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Poll.until(timeout, "a healthy Sentinel group", isPrivate() ? this::healthProblem : this::quorumProblem);
        synchronized (this) {
            disturbed = false;
        }
    }

    private String quorumProblem() {
        RedisEndpoint agreed = null;
        for (RedisEndpoint sentinel : sentinels) {
            Optional<RedisEndpoint> named = primaryNamedBy(sentinel);
            if (named.isEmpty() || (agreed != null && !agreed.equals(named.get()))) {
                return sentinel + " names " + named.map(String::valueOf).orElse("no primary");
            }
            agreed = named.get();
            try (RespClient client = RespClient.connect(sentinel.host(), sentinel.port(), CALL_TIMEOUT)) {
                client.call("SENTINEL", "CKQUORUM", masterName);
            }
        }
        return null;
    }

    private String healthProblem() {
        for (Map.Entry<RedisEndpoint, EmbeddedRedis> process : allProcesses().entrySet()) {
            if (!process.getValue().isRunning() || process.getValue().isPaused()) {
                return process.getKey() + " is " + (process.getValue().isPaused() ? "paused" : "not running");
            }
        }
        String problem = quorumProblem();
        if (problem != null) {
            return problem;
        }
        RedisEndpoint primary = primary();
        try (RespClient client = connect(primary)) {
            Map<String, String> replication = client.info("replication");
            if (!"master".equals(replication.get("role"))) {
                return primary + " is named primary but reports role:" + replication.get("role");
            }
        }
        for (RedisEndpoint replica : dataNodes.keySet()) {
            if (replica.equals(primary)) {
                continue;
            }
            try (RespClient client = connect(replica)) {
                Map<String, String> replication = client.info("replication");
                boolean followsPrimary = "slave".equals(replication.get("role"))
                        && primary.host().equals(replication.get("master_host"))
                        && Integer.toString(primary.port()).equals(replication.get("master_port"));
                if (!followsPrimary) {
                    client.call("REPLICAOF", primary.host(), Integer.toString(primary.port()));
                    return replica + " was " + replication.get("role") + ": pointed it at " + primary;
                }
                if (!"up".equals(replication.get("master_link_status"))
                        || !"0".equals(replication.get("master_sync_in_progress"))) {
                    return replica + " is not in sync yet: master_link_status=" + replication.get("master_link_status");
                }
            }
            for (RedisEndpoint sentinel : sentinels) {
                Map<String, String> master = sentinelMap(sentinel, "MASTER");
                if (!"master".equals(master.get("flags"))
                        || !Integer.toString(SENTINELS - 1).equals(master.get("num-other-sentinels"))) {
                    return sentinel + " sees the master as " + master.get("flags") + " with "
                            + master.get("num-other-sentinels") + " other sentinels";
                }
                // Flags follow pings (every second); the link status follows INFO, every ten seconds: the replica's
                // own INFO above already proved the link, and a failover refreshes INFO every second anyway.
                boolean seen = replicasSeenBy(sentinel).stream().anyMatch(entry ->
                        replica.host().equals(entry.get("ip")) && Integer.toString(replica.port()).equals(entry.get("port"))
                                && "slave".equals(entry.get("flags")));
                if (!seen) {
                    return sentinel + " does not see " + replica + " as a reachable replica yet";
                }
            }
        }
        return null;
    }

    private synchronized void repair() {
        for (EmbeddedRedis process : allProcesses().values()) {
            if (process.isPaused()) {
                process.resume();
            } else if (!process.isRunning()) {
                process.restart();
            }
        }
        awaitHealthy(STARTUP);
    }

    private Map<RedisEndpoint, EmbeddedRedis> allProcesses() {
        Map<RedisEndpoint, EmbeddedRedis> all = new LinkedHashMap<>(dataNodes);
        all.putAll(sentinelProcesses);
        return all;
    }

    private EmbeddedRedis process(RedisEndpoint node) {
        Objects.requireNonNull(node, "node");
        if (!isPrivate()) {
            throw new UnsupportedOperationException("the Sentinel group of " + URL_VARIABLE + " is not ours to stop");
        }
        EmbeddedRedis process = allProcesses().get(node);
        if (process == null) {
            throw new IllegalArgumentException(node + " is not a process of this group: " + allProcesses().keySet());
        }
        return process;
    }

    private List<RedisEndpoint> reachableSentinels() {
        if (!isPrivate()) {
            return sentinels;
        }
        return sentinelProcesses.entrySet().stream()
                .filter(process -> process.getValue().isRunning() && !process.getValue().isPaused())
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableList());
    }

    private Optional<RedisEndpoint> primaryNamedBy(RedisEndpoint sentinel) {
        try (RespClient client = RespClient.connect(sentinel.host(), sentinel.port(), CALL_TIMEOUT)) {
            Object reply = client.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName);
            if (!(reply instanceof List<?> address) || address.size() != 2) {
                return Optional.empty();
            }
            return Optional.of(new RedisEndpoint((String) address.get(0), Integer.parseInt((String) address.get(1))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Map<String, String> sentinelMap(RedisEndpoint sentinel, String subcommand) {
        try (RespClient client = RespClient.connect(sentinel.host(), sentinel.port(), CALL_TIMEOUT)) {
            return pairs((List<?>) client.call("SENTINEL", subcommand, masterName));
        }
    }

    private List<Map<String, String>> replicasSeenBy(RedisEndpoint sentinel) {
        try (RespClient client = RespClient.connect(sentinel.host(), sentinel.port(), CALL_TIMEOUT)) {
            List<Map<String, String>> replicas = new ArrayList<>();
            for (Object entry : (List<?>) client.call("SENTINEL", "REPLICAS", masterName)) {
                replicas.add(pairs((List<?>) entry));
            }
            return replicas;
        }
    }

    private static Map<String, String> pairs(List<?> flat) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        return map;
    }

    private static RedisTestSentinel create() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            TopologyUrl parsed = TopologyUrl.parse(URL_VARIABLE, url, "redis-sentinel", true);
            RedisTestSentinel group = new RedisTestSentinel(parsed.name().orElseThrow(), parsed.endpoints(), parsed,
                    Map.of(), Map.of());
            group.awaitHealthy(STARTUP);
            return group;
        }
        return startEmbedded();
    }

    private static RedisTestSentinel startEmbedded() {
        Map<RedisEndpoint, EmbeddedRedis> dataNodes = new LinkedHashMap<>();
        Map<RedisEndpoint, EmbeddedRedis> sentinelProcesses = new LinkedHashMap<>();
        try {
            EmbeddedRedis primary = EmbeddedRedis.builder().start();
            dataNodes.put(endpoint(primary), primary);
            EmbeddedRedis replica = EmbeddedRedis.builder().replicaOf(primary.host(), primary.port()).start();
            dataNodes.put(endpoint(replica), replica);
            for (int i = 0; i < SENTINELS; i++) {
                EmbeddedRedis sentinel = EmbeddedRedis.builder().sentinel()
                        .sentinelMonitor(MASTER_NAME, primary.host(), primary.port(), QUORUM)
                        .setting("sentinel", "down-after-milliseconds", MASTER_NAME,
                                Long.toString(DOWN_AFTER.toMillis()))
                        .setting("sentinel", "failover-timeout", MASTER_NAME,
                                Long.toString(FAILOVER_TIMEOUT.toMillis()))
                        .setting("sentinel", "parallel-syncs", MASTER_NAME, "1")
                        .start();
                sentinelProcesses.put(endpoint(sentinel), sentinel);
            }
            RedisTestSentinel group = new RedisTestSentinel(MASTER_NAME, List.copyOf(sentinelProcesses.keySet()),
                    new TopologyUrl(Optional.empty(), List.of(), Optional.empty()), dataNodes, sentinelProcesses);
            group.awaitHealthy(STARTUP);
            return group;
        } catch (RuntimeException | Error e) {
            sentinelProcesses.values().forEach(EmbeddedRedis::close);
            dataNodes.values().forEach(EmbeddedRedis::close);
            throw e;
        }
    }

    private static RedisEndpoint endpoint(EmbeddedRedis process) {
        return new RedisEndpoint(process.host(), process.port());
    }
}
