package io.authsession.redis;

import io.authsession.core.error.DependencyUnavailableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.Pool;

/**
 * Runs commands and scripts, turning every Jedis failure into {@link DependencyUnavailableException} so that no
 * Jedis type crosses a port. Scripts run by SHA ({@code EVALSHA}); a server that does not know one yet (first use,
 * restart, failover, {@code SCRIPT FLUSH}) gets it once with {@code EVAL}, which also caches it.
 *
 * <p>A command that fails on a broken connection (Redis restarted, a proxy dropped an idle connection: the socket
 * was closed, not slow) is sent once more after the pool's idle connections were dropped, so the first request after
 * a clean Redis restart succeeds. A command that timed out is never sent again: it may have run, and a second wait
 * would double the time a hung Redis holds the request.
 *
 * <p>Durable writes ({@link #evalDurable}, {@link #evalPipelined} with {@code durable}), when the settings ask for
 * replica acknowledgements, end on their own connection with a small marker write and {@code WAIT}: {@code WAIT}
 * counts the replicas that hold everything this connection wrote, and the marker makes that include the write even
 * when a retried revocation found nothing left to change.
 */
final class RedisCommands {
    static final String DEPENDENCY = "redis";
    /** How long a marker lives; it only has to outlive its {@code WAIT}. */
    private static final long MARKER_TTL_MILLIS = 60_000;

    /** Hears of every round trip to Redis: the operation and how many commands it sent (more when pipelined). */
    interface RoundTripListener {
        RoundTripListener NONE = (operation, commands) -> { };

        void roundTrip(String operation, int commands);
    }

    private final RedisTopology topology;
    private final UnifiedJedis redis;
    private final String keyPrefix;
    private final int minReplicasAck;
    private final Duration replicaAckTimeout;
    private volatile RoundTripListener listener = RoundTripListener.NONE;
    private volatile UnaryOperator<LuaScript> scripts = UnaryOperator.identity();
    private volatile RedisTracing tracing = RedisTracing.NONE;

    RedisCommands(RedisTopology topology, RedisSettings settings) {
        this.topology = topology;
        this.redis = topology.client();
        this.keyPrefix = settings.keyPrefix();
        this.minReplicasAck = settings.minReplicasAck();
        this.replicaAckTimeout = settings.replicaAckTimeout();
    }

    /** Every round trip from now on is reported to {@code listener} (tests count them). */
    void listen(RoundTripListener listener) {
        this.listener = listener;
    }

    /** Every script from now on is run as {@code decorate} makes it (tests check the keys scripts touch this way). */
    void decorateScripts(UnaryOperator<LuaScript> decorate) {
        this.scripts = decorate;
    }

    /** Every round trip from now on runs in a span of its own ({@link RedisTracing}). */
    void trace(RedisTracing tracing) {
        this.tracing = tracing;
    }

    /** Whether durable writes wait for replicas. */
    boolean durable() {
        return minReplicasAck > 0;
    }

    /** One command (one round trip) named {@code operation}. */
    <T> T run(String operation, Function<UnifiedJedis, T> call) {
        listener.roundTrip(operation, 1);
        return tracing.trace(operation, 1, () -> retryingBroken(operation, () -> call.apply(redis)));
    }

    Object eval(String operation, LuaScript original, List<String> keys, List<String> args) {
        LuaScript script = scripts.apply(original);
        return run(operation, client -> {
            try {
                return client.evalsha(script.sha1(), keys, args);
            } catch (JedisNoScriptException e) {
                listener.roundTrip(operation + " (script sent again)", 1);
                RedisTracing.scriptResent();
                return client.eval(script.source(), keys, args);
            }
        });
    }

    /**
     * A write that must reach {@code minReplicasAck} replicas before it counts (a revocation, revoke-all, session
     * creation): the script, a marker and {@code WAIT} in one round trip on one connection, when the settings ask for
     * replicas; otherwise {@link #eval}.
     *
     * @throws DependencyUnavailableException also when fewer replicas acknowledged it in time (a retry is safe: the
     *     write is idempotent, and the retry waits for the replicas again)
     */
    Object evalDurable(String operation, LuaScript script, List<String> keys, List<String> args) {
        if (!durable()) {
            return eval(operation, script, keys, args);
        }
        return evalPipelined(operation, script, List.of(keys), List.of(args), true).get(0);
    }

    /** {@link #evalPipelined(String, LuaScript, List, List, boolean)} without waiting for replicas. */
    List<Object> evalPipelined(String operation, LuaScript script, List<List<String>> keys, List<List<String>> args) {
        return evalPipelined(operation, script, keys, args, false);
    }

    /**
     * Runs one script many times, one round trip per hash slot (one in all when the calls share a slot, as a user's
     * publications do: they share the gateway's hash tag). Every call is attempted; the first failure is thrown after
     * all of them ran. With {@code durable} and replicas to wait for, each round trip ends with a marker and
     * {@code WAIT}.
     */
    List<Object> evalPipelined(String operation, LuaScript original, List<List<String>> keys, List<List<String>> args,
            boolean durable) {
        LuaScript script = scripts.apply(original);
        boolean waits = durable && durable();
        Object[] results = new Object[keys.size()];
        DependencyUnavailableException failure = null;
        for (List<Integer> batch : bySlot(keys).values()) {
            List<List<String>> batchKeys = batch.stream().map(keys::get).toList();
            List<List<String>> batchArgs = batch.stream().map(args::get).toList();
            listener.roundTrip(operation, batch.size() + (waits ? 2 : 0));
            List<Object> batchResults;
            try {
                batchResults = tracing.trace(operation, batch.size() + (waits ? 2 : 0), () -> retryingBroken(operation,
                        () -> runBatch(operation, script, batchKeys, batchArgs, waits)));
            } catch (DependencyUnavailableException e) {
                // This slot's node failed as a whole; the other slots are still attempted.
                batchResults = Collections.nCopies(batch.size(), e);
            }
            for (int i = 0; i < batch.size(); i++) {
                Object result = batchResults.get(i);
                if (result instanceof DependencyUnavailableException e) {
                    failure = failure == null ? e : failure;
                    result = null;
                }
                results[batch.get(i)] = result;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return Arrays.asList(results);
    }

    /** Loads every script into the script cache of every primary (at startup: one command per script and primary). */
    void loadScripts(List<LuaScript> scripts) {
        tracing.trace("load scripts", scripts.size(), () -> onEveryPrimary("load scripts", jedis -> {
            for (LuaScript script : scripts) {
                listener.roundTrip("load script " + script.name(), 1);
                if (!script.sha1().equals(jedis.scriptLoad(script.source()))) {
                    throw new IllegalStateException("Redis hashed script " + script.name() + " differently");
                }
            }
            return null;
        }));
    }

    /** {@code PING} to every primary: the server, the Sentinel's primary, or each primary of the cluster. */
    void ping() {
        tracing.trace("ping", 1, () -> onEveryPrimary("ping", jedis -> {
            listener.roundTrip("ping", 1);
            return jedis.ping();
        }));
    }

    /**
     * The primaries serving data now, in a stable order ({@code host:port}): one for a standalone server or a
     * Sentinel group, each primary of a cluster. With {@link #onPrimary} this is how maintenance walks every key
     * ({@code SCAN} is per node on a cluster).
     */
    List<String> primaries() {
        try {
            return List.copyOf(topology.primaries().keySet());
        } catch (JedisException e) {
            throw unavailable("list primaries", e);
        }
    }

    /**
     * One call on a connection to {@code primary} (one of {@link #primaries()}), for commands that address a node
     * rather than a key ({@code SCAN}, {@code INFO}). The connection is the caller's until {@code call} returns.
     *
     * @throws DependencyUnavailableException when that node fails, or is no longer a primary
     */
    <T> T onPrimary(String operation, String primary, Function<Jedis, T> call) {
        listener.roundTrip(operation, 1);
        return tracing.trace(operation, 1, () -> retryingBroken(operation, () -> callOn(operation, primary, call)));
    }

    /** {@code call} on each primary in turn, by node; see {@link #onPrimary}. Callers report their round trips. */
    <T> Map<String, T> onEveryPrimary(String operation, Function<Jedis, T> call) {
        Map<String, T> results = new LinkedHashMap<>();
        for (String primary : primaries()) {
            results.put(primary, retryingBroken(operation, () -> callOn(operation, primary, call)));
        }
        return results;
    }

    private <T> T callOn(String operation, String primary, Function<Jedis, T> call) {
        Pool<Connection> pool = topology.primaries().get(primary);
        if (pool == null) {
            throw new DependencyUnavailableException(DEPENDENCY, operation + " failed: " + primary
                    + " is not a primary now (" + topology.primaries().keySet() + ")");
        }
        try (Jedis jedis = new Jedis(pool.getResource())) {
            return call.apply(jedis);
        }
    }

    /**
     * One round trip on one connection to the primary of the batch's slot: the script calls, then (when
     * {@code waits}) the marker and {@code WAIT}. Calls the server did not know the script for are sent again with
     * {@code EVAL}; a batch redirected to another node ({@code MOVED} after a failover or resharding, {@code ASK}
     * during a migration) is sent again there.
     */
    private List<Object> runBatch(String operation, LuaScript script, List<List<String>> keys,
            List<List<String>> args, boolean waits) {
        Connection connection = topology.connectionFor(keys.get(0).get(0));
        try {
            boolean asking = false;
            for (int redirects = 0; ; redirects++) {
                List<Object> results = runBatchOn(connection, operation, script, keys, args, waits, asking);
                JedisRedirectionException redirect = (JedisRedirectionException) results.stream()
                        .filter(JedisRedirectionException.class::isInstance).findFirst().orElse(null);
                if (redirect == null || redirects == 2) {
                    return results.stream()
                            .map(result -> result instanceof JedisException e ? unavailable(operation, e) : result)
                            .toList();
                }
                if (redirect instanceof JedisMovedDataException) {
                    topology.refreshSlots();
                }
                asking = redirect instanceof JedisAskDataException;
                Connection target = topology.connectionTo(redirect.getTargetNode());
                // Closed exactly once: a pooled connection closed twice would disconnect whoever borrowed it next.
                connection.close();
                connection = target;
            }
        } finally {
            connection.close();
        }
    }

    private List<Object> runBatchOn(Connection connection, String operation, LuaScript script, List<List<String>> keys,
            List<List<String>> args, boolean waits, boolean asking) {
        List<Object> results = new ArrayList<>(keys.size());
        List<Integer> unknown = new ArrayList<>();
        List<Object> first = pipelined(connection, script, keys, args, waits, asking, false);
        for (int i = 0; i < keys.size(); i++) {
            results.add(first.get(i));
            if (first.get(i) instanceof JedisNoScriptException) {
                unknown.add(i);
            }
        }
        Object acknowledged = waits ? first.get(keys.size() + 1) : null;
        if (!unknown.isEmpty()) {
            listener.roundTrip(operation + " (script sent again)", unknown.size() + (waits ? 2 : 0));
            RedisTracing.scriptResent();
            List<Object> again = pipelined(connection, script, unknown.stream().map(keys::get).toList(),
                    unknown.stream().map(args::get).toList(), waits, asking, true);
            for (int i = 0; i < unknown.size(); i++) {
                results.set(unknown.get(i), again.get(i));
            }
            acknowledged = waits ? again.get(unknown.size() + 1) : null;
        }
        if (waits) {
            Object marker = first.get(keys.size());
            if (marker instanceof JedisRedirectionException) {
                // The whole batch is sent again where the marker's slot (the batch's slot) lives now.
                results.set(0, marker);
            } else if (acknowledged instanceof JedisException e) {
                fill(results, unavailable(operation, e));
            } else if (!(acknowledged instanceof Long count) || count < minReplicasAck) {
                fill(results, new DependencyUnavailableException(DEPENDENCY, operation + ": " + acknowledged
                        + " of " + minReplicasAck + " replicas acknowledged within " + replicaAckTimeout.toMillis()
                        + "ms"));
            }
        }
        return results;
    }

    /** Replaces every result that is not already a failure: none of the batch counts. */
    private static void fill(List<Object> results, DependencyUnavailableException failure) {
        for (int i = 0; i < results.size(); i++) {
            if (!(results.get(i) instanceof Exception)) {
                results.set(i, failure);
            }
        }
    }

    /**
     * Sends the calls (by SHA, or with their source), then the marker and {@code WAIT}, and returns each reply or the
     * error Redis answered for it; a broken connection is thrown.
     */
    private List<Object> pipelined(Connection connection, LuaScript script, List<List<String>> keys,
            List<List<String>> args, boolean waits, boolean asking, boolean withSource) {
        Pipeline pipeline = new Pipeline(connection, false);
        List<Response<?>> responses = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (asking) {
                pipeline.appendCommand(asking());
            }
            responses.add(withSource ? pipeline.eval(script.source(), keys.get(i), args.get(i))
                    : pipeline.evalsha(script.sha1(), keys.get(i), args.get(i)));
        }
        if (waits) {
            if (asking) {
                pipeline.appendCommand(asking());
            }
            responses.add(pipeline.set(markerKey(keys.get(0).get(0)), "1",
                    SetParams.setParams().px(MARKER_TTL_MILLIS)));
            responses.add(pipeline.waitReplicas(minReplicasAck, replicaAckTimeout.toMillis()));
        }
        pipeline.sync();
        List<Object> replies = new ArrayList<>(responses.size());
        for (Response<?> response : responses) {
            try {
                replies.add(response.get());
            } catch (JedisConnectionException e) {
                throw e;
            } catch (JedisException e) {
                replies.add(e);
            }
        }
        return replies;
    }

    /** {@code ASKING}: the next command is for a slot being migrated to this node. */
    private static CommandObject<String> asking() {
        return new CommandObject<>(new CommandArguments(Protocol.Command.ASKING), BuilderFactory.STRING);
    }

    /** The marker a durable write ends with ({@link RedisKeys#replicaMarker}). */
    String markerKey(String key) {
        return RedisKeys.replicaMarker(keyPrefix, key);
    }

    /** The calls grouped by the hash slot of their first key (one group outside cluster mode), in order. */
    private Map<Integer, List<Integer>> bySlot(List<List<String>> keys) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            int slot = topology.isCluster() ? JedisClusterCRC16.getSlot(keys.get(i).get(0)) : 0;
            groups.computeIfAbsent(slot, any -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    /**
     * Runs {@code call}; when it fails on a broken connection, drops the idle connections (and, on a cluster, asks for
     * the slots again) and runs it once more.
     * Every Jedis failure ends as {@link DependencyUnavailableException}.
     */
    private <T> T retryingBroken(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (JedisException e) {
            if (!isBrokenConnection(e)) {
                throw unavailable(operation, e);
            }
            topology.dropIdleConnections();
            try {
                // On a cluster the node may be gone for good (failover): ask where its slots are now.
                topology.refreshSlots();
            } catch (JedisException refresh) {
                e.addSuppressed(refresh);
            }
            listener.roundTrip(operation + " (again, on a new connection)", 1);
            try {
                return call.get();
            } catch (JedisException again) {
                again.addSuppressed(e);
                throw unavailable(operation, again);
            }
        }
    }

    /** A connection the peer closed or reset; not a timeout, which may mean the command ran. */
    private static boolean isBrokenConnection(JedisException e) {
        if (!(e instanceof JedisConnectionException)) {
            return false;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return false;
            }
        }
        return true;
    }

    static DependencyUnavailableException unavailable(String operation, JedisException e) {
        return new DependencyUnavailableException(DEPENDENCY, operation + " failed: " + e.getMessage(), e);
    }
}
