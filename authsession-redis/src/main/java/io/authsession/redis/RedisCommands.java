package io.authsession.redis;

import io.authsession.core.error.DependencyUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Runs commands and scripts, turning every Jedis failure into {@link DependencyUnavailableException} so that no
 * Jedis type crosses a port. Scripts run by SHA ({@code EVALSHA}); a server that does not know one yet (first use,
 * restart, {@code SCRIPT FLUSH}) gets it once with {@code EVAL}, which also caches it.
 */
final class RedisCommands {
    static final String DEPENDENCY = "redis";

    /** Hears of every round trip to Redis: the operation and how many commands it sent (more when pipelined). */
    interface RoundTripListener {
        RoundTripListener NONE = (operation, commands) -> { };

        void roundTrip(String operation, int commands);
    }

    private final RedisClient redis;
    private volatile RoundTripListener listener = RoundTripListener.NONE;
    private volatile RedisTracing tracing = RedisTracing.NONE;

    RedisCommands(RedisClient redis) {
        this.redis = redis;
    }

    /** Every round trip from now on is reported to {@code listener} (tests count them). */
    void listen(RoundTripListener listener) {
        this.listener = listener;
    }

    /** Every round trip from now on runs in a span of its own ({@link RedisTracing}). */
    void trace(RedisTracing tracing) {
        this.tracing = tracing;
    }

    /** One command (one round trip) named {@code operation}. */
    <T> T run(String operation, Function<RedisClient, T> call) {
        listener.roundTrip(operation, 1);
        return tracing.trace(operation, 1, () -> {
            try {
                return call.apply(redis);
            } catch (JedisException e) {
                throw unavailable(operation, e);
            }
        });
    }

    Object eval(String operation, LuaScript script, List<String> keys, List<String> args) {
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

    /** Loads every script into the server's script cache (at startup: one command per script). */
    void loadScripts(List<LuaScript> scripts) {
        runQuietly("load scripts", scripts.size(), client -> {
            for (LuaScript script : scripts) {
                listener.roundTrip("load script " + script.name(), 1);
                if (!script.sha1().equals(client.scriptLoad(script.source()))) {
                    throw new IllegalStateException("Redis hashed script " + script.name() + " differently");
                }
            }
            return null;
        });
    }

    /**
     * Runs one script many times in a single round trip. Every call is attempted; the first failure is thrown after
     * all of them ran.
     */
    List<Object> evalPipelined(String operation, LuaScript script, List<List<String>> keys, List<List<String>> args) {
        List<Response<Object>> responses = new ArrayList<>(keys.size());
        listener.roundTrip(operation, keys.size());
        runQuietly(operation, keys.size(), client -> {
            try (Pipeline pipeline = client.pipelined()) {
                for (int i = 0; i < keys.size(); i++) {
                    responses.add(pipeline.evalsha(script.sha1(), keys.get(i), args.get(i)));
                }
                pipeline.sync();
            }
            return null;
        });
        List<Object> results = new ArrayList<>(responses.size());
        DependencyUnavailableException failure = null;
        for (int i = 0; i < responses.size(); i++) {
            try {
                results.add(result(responses.get(i), operation, script, keys.get(i), args.get(i)));
            } catch (DependencyUnavailableException e) {
                failure = failure == null ? e : failure;
                results.add(null);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    /** Like {@link #run} for a call whose round trips the caller reports itself. */
    private <T> T runQuietly(String operation, int commands, Function<RedisClient, T> call) {
        return tracing.trace(operation, commands, () -> {
            try {
                return call.apply(redis);
            } catch (JedisException e) {
                throw unavailable(operation, e);
            }
        });
    }

    private Object result(Response<Object> response, String operation, LuaScript script, List<String> keys,
            List<String> args) {
        try {
            return response.get();
        } catch (JedisNoScriptException e) {
            return eval(operation, script, keys, args);
        } catch (JedisException e) {
            throw unavailable(operation, e);
        }
    }

    static DependencyUnavailableException unavailable(String operation, JedisException e) {
        return new DependencyUnavailableException(DEPENDENCY, operation + " failed: " + e.getMessage(), e);
    }
}
