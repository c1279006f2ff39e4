package io.authsession.testkit;

import io.authsession.embedded.EmbeddedRedis;
import io.authsession.embedded.RespClient;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster for tests: three primaries owning all 16384 slots, each with one replica, shared by every test
 * of a JVM and stopped when the JVM exits.
 *
 * <p>Where it comes from: the seed nodes in {@code AUTHSESSION_TEST_REDIS_CLUSTER_URL} when set
 * ({@code redis://[user:password@]host:port[,host:port...]}, any reachable nodes of an existing cluster); otherwise
 * six embedded {@code redis-server} processes on free loopback ports ({@code cluster-enabled yes}, a node timeout of
 * one second), joined with {@code CLUSTER ADDSLOTS}, {@code CLUSTER MEET} and {@code CLUSTER REPLICATE}, returned once
 * every node reports {@code cluster_state:ok} and every replica is in sync. Starting takes about a second, once per
 * JVM, on first use. Tests share it: they isolate themselves with key prefixes of their own and never flush it.
 *
 * <p>Failover tests (only on the embedded cluster, {@link #isPrivate()}) {@link #kill} or {@link #pause} a primary,
 * {@link #awaitFailover} until its replica serves its slots, then {@link #restart} or {@link #resume} it (it rejoins
 * as a replica) and {@link #awaitHealthy}. Roles therefore move between tests: ask {@link #primaries()} rather than
 * remembering them. A test that failed half-way is repaired by the next {@link #shared()} call.
 */
public final class RedisTestCluster {
    /** The environment variable naming an existing cluster to test against. */
    public static final String URL_VARIABLE = "AUTHSESSION_TEST_REDIS_CLUSTER_URL";
    /** How many hash slots a Redis Cluster has. */
    public static final int SLOTS = 16_384;
    private static final System.Logger LOG = System.getLogger(RedisTestCluster.class.getName());
    private static final int PRIMARIES = 3;
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    private static RedisTestCluster shared;

    private final List<RedisEndpoint> seeds;
    private final TopologyUrl credentials;
    private final Map<RedisEndpoint, EmbeddedRedis> nodes;
    private final Map<RedisEndpoint, List<Integer>> slotsWhenStopped = new HashMap<>();
    private boolean disturbed;

    private RedisTestCluster(List<RedisEndpoint> seeds, TopologyUrl credentials, Map<RedisEndpoint, EmbeddedRedis> nodes) {
        this.seeds = List.copyOf(seeds);
        this.credentials = credentials;
        this.nodes = nodes;
    }

    /**
     * The cluster of this JVM, started on first use; later calls first restore a cluster that a test left with a node
     * killed or paused.
     *
     * @throws AssertionError when the cluster does not become healthy within a minute
     */
    public static synchronized RedisTestCluster shared() {
        if (shared == null) {
            long started = System.nanoTime();
            shared = create();
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            LOG.log(Level.INFO, () -> "event=test_redis_cluster_ready source=" + (shared.isPrivate() ? "embedded"
                    : "environment") + " seeds=" + shared.seeds + " elapsed_ms=" + elapsed);
        } else if (shared.disturbed) {
            shared.repair();
        }
        return shared;
    }

    /** Whether the tests own the cluster and may kill, pause and restart its nodes (embedded, not the environment's). */
    public boolean isPrivate() {
        return !nodes.isEmpty();
    }

    /** The nodes a client may start from: every node of the embedded cluster, or those of the environment URL. */
    public List<RedisEndpoint> seeds() {
        return seeds;
    }

    /** {@code user:password} of the environment URL, if it has them; the embedded cluster needs none. */
    public Optional<String> userInfo() {
        return credentials.userInfo();
    }

    /** The primaries serving slots now, in slot order, as a reachable node sees them. */
    public List<RedisEndpoint> primaries() {
        return view(anyReachable()).stream()
                .filter(node -> node.isPrimary() && !node.failed() && !node.slots().isEmpty())
                .sorted(Comparator.comparing(node -> node.slots().get(0)))
                .map(ClusterNode::endpoint)
                .collect(Collectors.toUnmodifiableList());
    }

    /** The replicas now, as a reachable node sees them. */
    public List<RedisEndpoint> replicas() {
        return view(anyReachable()).stream()
                .filter(node -> !node.isPrimary() && !node.failed())
                .map(ClusterNode::endpoint)
                .collect(Collectors.toUnmodifiableList());
    }

    /** The replica of {@code primary} now, if it has one. */
    public Optional<RedisEndpoint> replicaOf(RedisEndpoint primary) {
        Objects.requireNonNull(primary, "primary");
        List<ClusterNode> view = view(anyReachable());
        Optional<String> primaryId = view.stream().filter(node -> node.endpoint().equals(primary))
                .map(ClusterNode::id).findFirst();
        return view.stream()
                .filter(node -> !node.isPrimary() && !node.failed() && primaryId.equals(Optional.of(node.primaryId())))
                .map(ClusterNode::endpoint)
                .findFirst();
    }

    /** The primary serving {@code key}'s slot now. */
    public RedisEndpoint primaryFor(String key) {
        int slot = slot(key);
        return view(anyReachable()).stream()
                .filter(node -> node.isPrimary() && !node.failed() && node.owns(slot))
                .map(ClusterNode::endpoint)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no primary serves slot " + slot + " now"));
    }

    /** The hash slot of {@code key}: CRC16 of the key, or of its first non-empty {@code {hash tag}}, modulo 16384. */
    public static int slot(String key) {
        Objects.requireNonNull(key, "key");
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int start = 0;
        int end = bytes.length;
        int open = indexOf(bytes, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(bytes, (byte) '}', open + 1);
            if (close > open + 1) {
                start = open + 1;
                end = close;
            }
        }
        int crc = 0;
        for (int i = start; i < end; i++) {
            crc ^= (bytes[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc % SLOTS;
    }

    /** A new connection to {@code node}, authenticated with the environment's credentials; the caller closes it. */
    public RespClient connect(RedisEndpoint node) {
        Objects.requireNonNull(node, "node");
        RespClient client = RespClient.connect(node.host(), node.port(), CALL_TIMEOUT);
        try {
            Optional<String> password = credentials.password();
            if (password.isPresent()) {
                client.auth(credentials.user().orElse(null), password.get());
            }
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Sends {@code SIGKILL} to {@code node}, as a crash would. */
    public synchronized void kill(RedisEndpoint node) {
        EmbeddedRedis process = process(node);
        rememberSlots(node);
        disturbed = true;
        process.kill();
    }

    /** Sends {@code SIGSTOP} to {@code node}: it keeps its connections and answers nothing, as a hung host would. */
    public synchronized void pause(RedisEndpoint node) {
        EmbeddedRedis process = process(node);
        rememberSlots(node);
        disturbed = true;
        process.pause();
    }

    /** Sends {@code SIGCONT} to a paused node; a former primary rejoins as a replica of its successor. */
    public synchronized void resume(RedisEndpoint node) {
        disturbed = true;
        process(node).resume();
    }

    /**
     * Starts a killed node again on its port with its node id; a former primary rejoins as a replica of its
     * successor. Follow with {@link #awaitHealthy}.
     */
    public synchronized void restart(RedisEndpoint node) {
        disturbed = true;
        process(node).restart();
    }

    /**
     * Waits until the slots {@code formerPrimary} served when it was killed or paused are served by another primary
     * and every running node reports {@code cluster_state:ok}, and returns that new primary.
     *
     * @throws IllegalArgumentException when {@code formerPrimary} served no slots when it was stopped
     * @throws AssertionError when the failover does not finish within {@code timeout}
     */
    public RedisEndpoint awaitFailover(RedisEndpoint formerPrimary, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        List<Integer> slots;
        synchronized (this) {
            slots = slotsWhenStopped.get(Objects.requireNonNull(formerPrimary, "formerPrimary"));
        }
        if (slots == null || slots.isEmpty()) {
            throw new IllegalArgumentException(formerPrimary + " served no slots when it was killed or paused");
        }
        int slot = slots.get(0);
        RedisEndpoint[] successor = new RedisEndpoint[1];
        Poll.until(timeout, "failover of " + formerPrimary, () -> {
            for (RedisEndpoint node : reachable()) {
                Optional<ClusterNode> owner = view(node).stream()
                        .filter(candidate -> candidate.isPrimary() && !candidate.failed() && candidate.owns(slot))
                        .findFirst();
                if (owner.isEmpty() || owner.get().endpoint().equals(formerPrimary)) {
                    return node + " sees slot " + slot + " served by " + owner.map(ClusterNode::endpoint)
                            .map(String::valueOf).orElse("nobody");
                }
                String state = clusterInfo(node).get("cluster_state");
                if (!"ok".equals(state)) {
                    return node + " reports cluster_state:" + state;
                }
                successor[0] = owner.get().endpoint();
            }
            try (RespClient client = connect(successor[0])) {
                String role = client.info("replication").get("role");
                return "master".equals(role) ? null : successor[0] + " reports role:" + role;
            }
        });
        return successor[0];
    }

    /**
     * Waits until every node runs, every node reports {@code cluster_state:ok} and agrees on three primaries with
     * one replica each, and every replica is in sync (for the environment's cluster: until its seeds report
     * {@code cluster_state:ok}).
     *
     * @throws AssertionError when that is not reached within {@code timeout}
     */
    public void awaitHealthy(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (!isPrivate()) {
            Poll.until(timeout, "a healthy cluster", () -> {
                for (RedisEndpoint seed : seeds) {
                    String state = clusterInfo(seed).get("cluster_state");
                    if (!"ok".equals(state)) {
                        return seed + " reports cluster_state:" + state;
                    }
                }
                return null;
            });
            return;
        }
        Poll.until(timeout, "a healthy cluster", this::healthProblem);
        synchronized (this) {
            disturbed = false;
            slotsWhenStopped.clear();
        }
    }

    private String healthProblem() {
        for (Map.Entry<RedisEndpoint, EmbeddedRedis> node : nodes.entrySet()) {
            if (!node.getValue().isRunning() || node.getValue().isPaused()) {
                return node.getKey() + " is " + (node.getValue().isPaused() ? "paused" : "not running");
            }
        }
        Map<String, String> roles = null;
        for (RedisEndpoint node : nodes.keySet()) {
            Map<String, String> info = clusterInfo(node);
            if (!"ok".equals(info.get("cluster_state"))
                    || !Integer.toString(nodes.size()).equals(info.get("cluster_known_nodes"))
                    || !Integer.toString(SLOTS).equals(info.get("cluster_slots_ok"))) {
                return node + " reports " + info;
            }
            List<ClusterNode> view = view(node);
            String problem = viewProblem(node, view);
            if (problem != null) {
                return problem;
            }
            Map<String, String> nodeRoles = view.stream().collect(Collectors.toMap(ClusterNode::id,
                    candidate -> candidate.isPrimary() ? "primary" : "replica of " + candidate.primaryId()));
            if (roles != null && !roles.equals(nodeRoles)) {
                return node + " disagrees on the roles: " + nodeRoles + " vs " + roles;
            }
            roles = nodeRoles;
        }
        for (RedisEndpoint node : nodes.keySet()) {
            try (RespClient client = connect(node)) {
                Map<String, String> replication = client.info("replication");
                if ("slave".equals(replication.get("role"))) {
                    if (!"up".equals(replication.get("master_link_status"))
                            || !"0".equals(replication.get("master_sync_in_progress"))) {
                        return node + " is not in sync: " + replication;
                    }
                } else if (!replication.getOrDefault("slave0", "").contains("state=online")) {
                    return node + " has no replica online: " + replication;
                }
            }
        }
        return null;
    }

    private String viewProblem(RedisEndpoint observer, List<ClusterNode> view) {
        if (view.size() != nodes.size()) {
            return observer + " knows " + view.size() + " nodes";
        }
        long primaries = 0;
        for (ClusterNode node : view) {
            if (node.failed() || !node.connected() || node.flags().contains("handshake")
                    || node.flags().contains("noaddr")) {
                return observer + " sees " + node.endpoint() + " as " + node.flags() + " link="
                        + (node.connected() ? "connected" : "disconnected");
            }
            if (node.isPrimary()) {
                if (node.slots().isEmpty()) {
                    return observer + " sees " + node.endpoint() + " as a primary without slots";
                }
                primaries++;
                long replicas = view.stream().filter(other -> node.id().equals(other.primaryId())).count();
                if (replicas != (nodes.size() / PRIMARIES) - 1) {
                    return observer + " sees " + replicas + " replicas of " + node.endpoint();
                }
            }
        }
        return primaries == PRIMARIES ? null : observer + " sees " + primaries + " primaries";
    }

    private synchronized void repair() {
        for (EmbeddedRedis node : nodes.values()) {
            if (node.isPaused()) {
                node.resume();
            } else if (!node.isRunning()) {
                node.restart();
            }
        }
        awaitHealthy(STARTUP);
    }

    private EmbeddedRedis process(RedisEndpoint node) {
        Objects.requireNonNull(node, "node");
        if (!isPrivate()) {
            throw new UnsupportedOperationException("the cluster of " + URL_VARIABLE + " is not ours to stop");
        }
        EmbeddedRedis process = nodes.get(node);
        if (process == null) {
            throw new IllegalArgumentException(node + " is not a node of this cluster: " + nodes.keySet());
        }
        return process;
    }

    private void rememberSlots(RedisEndpoint node) {
        List<Integer> slots = view(node).stream().filter(ClusterNode::myself).findFirst()
                .map(ClusterNode::slots).orElse(List.of());
        slotsWhenStopped.put(node, slots);
    }

    private List<RedisEndpoint> reachable() {
        if (!isPrivate()) {
            return seeds;
        }
        return nodes.entrySet().stream()
                .filter(node -> node.getValue().isRunning() && !node.getValue().isPaused())
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableList());
    }

    private RedisEndpoint anyReachable() {
        RuntimeException last = null;
        for (RedisEndpoint node : reachable()) {
            try (RespClient client = connect(node)) {
                client.call("PING");
                return node;
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no node of the cluster answers: " + reachable(), last);
    }

    private Map<String, String> clusterInfo(RedisEndpoint node) {
        try (RespClient client = connect(node)) {
            return RespClient.parseInfo(client.callString("CLUSTER", "INFO"));
        }
    }

    private List<ClusterNode> view(RedisEndpoint node) {
        try (RespClient client = connect(node)) {
            return ClusterNode.parse(client.callString("CLUSTER", "NODES"), node);
        }
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static RedisTestCluster create() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            TopologyUrl parsed = TopologyUrl.parse(URL_VARIABLE, url, "redis", false);
            RedisTestCluster cluster = new RedisTestCluster(parsed.endpoints(), parsed, Map.of());
            cluster.awaitHealthy(STARTUP);
            return cluster;
        }
        return startEmbedded();
    }

    private static RedisTestCluster startEmbedded() {
        Map<RedisEndpoint, EmbeddedRedis> nodes = new LinkedHashMap<>();
        try {
            for (int i = 0; i < PRIMARIES * 2; i++) {
                EmbeddedRedis node = EmbeddedRedis.builder()
                        .cluster(NODE_TIMEOUT)
                        // a replica may always take over, however long its link was down
                        .setting("cluster-replica-validity-factor", "0")
                        .start();
                nodes.put(new RedisEndpoint(node.host(), node.port()), node);
            }
            RedisTestCluster cluster = new RedisTestCluster(List.copyOf(nodes.keySet()),
                    new TopologyUrl(Optional.empty(), List.of(), Optional.empty()), nodes);
            cluster.join();
            cluster.awaitHealthy(STARTUP);
            return cluster;
        } catch (RuntimeException | Error e) {
            nodes.values().forEach(EmbeddedRedis::close);
            throw e;
        }
    }

    /** What {@code redis-cli --cluster create --cluster-replicas 1} does, without redis-cli. */
    private void join() {
        List<RedisEndpoint> endpoints = List.copyOf(nodes.keySet());
        Map<RedisEndpoint, String> ids = new HashMap<>();
        for (int i = 0; i < endpoints.size(); i++) {
            try (RespClient client = connect(endpoints.get(i))) {
                ids.put(endpoints.get(i), client.callString("CLUSTER", "MYID"));
                // distinct epochs up front spare the cluster its epoch-collision rounds
                client.call("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
            }
        }
        for (int i = 0; i < PRIMARIES; i++) {
            int first = i * SLOTS / PRIMARIES;
            int last = (i + 1) * SLOTS / PRIMARIES - 1;
            List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = first; slot <= last; slot++) {
                command.add(Integer.toString(slot));
            }
            try (RespClient client = connect(endpoints.get(i))) {
                client.call(command.toArray(String[]::new));
            }
        }
        try (RespClient client = connect(endpoints.get(0))) {
            for (RedisEndpoint other : endpoints.subList(1, endpoints.size())) {
                client.call("CLUSTER", "MEET", other.host(), Integer.toString(other.port()));
            }
        }
        Poll.until(STARTUP, "every node knowing every other", () -> {
            for (RedisEndpoint node : endpoints) {
                List<ClusterNode> view = view(node);
                if (view.size() != endpoints.size()
                        || view.stream().anyMatch(known -> known.flags().contains("handshake") || !known.connected())) {
                    return node + " knows " + view.size() + " nodes";
                }
            }
            return null;
        });
        for (int i = PRIMARIES; i < endpoints.size(); i++) {
            try (RespClient client = connect(endpoints.get(i))) {
                client.call("CLUSTER", "REPLICATE", ids.get(endpoints.get(i - PRIMARIES)));
            }
        }
    }

    /** One line of {@code CLUSTER NODES}. */
    private record ClusterNode(String id, RedisEndpoint endpoint, Set<String> flags, String primaryId,
            boolean connected, List<Integer> slots) {
        /** Parses a reply of {@code observer}, which writes its own address as {@code :port} until it learns its IP. */
        static List<ClusterNode> parse(String text, RedisEndpoint observer) {
            List<ClusterNode> nodes = new ArrayList<>();
            for (String line : text.split("\n")) {
                String[] fields = line.strip().split(" ");
                if (fields.length < 8) {
                    continue;
                }
                String address = fields[1];
                int at = address.indexOf('@');
                String hostAndPort = at < 0 ? address : address.substring(0, at);
                RedisEndpoint endpoint = RedisEndpoint.parse(hostAndPort.startsWith(":") ? observer.host() + hostAndPort
                        : hostAndPort);
                List<Integer> slots = new ArrayList<>();
                for (int i = 8; i < fields.length; i++) {
                    String range = fields[i];
                    if (range.startsWith("[")) {
                        continue; // a slot being migrated or imported
                    }
                    int dash = range.indexOf('-');
                    int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                    int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
                    for (int slot = first; slot <= last; slot++) {
                        slots.add(slot);
                    }
                }
                nodes.add(new ClusterNode(fields[0], endpoint, Set.of(fields[2].split(",")), fields[3],
                        fields[7].equals("connected"), List.copyOf(slots)));
            }
            return nodes;
        }

        boolean isPrimary() {
            return flags.contains("master");
        }

        boolean myself() {
            return flags.contains("myself");
        }

        boolean failed() {
            return flags.contains("fail") || flags.contains("fail?");
        }

        boolean owns(int slot) {
            return slots.contains(slot);
        }
    }
}
