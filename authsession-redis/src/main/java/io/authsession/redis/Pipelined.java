package io.authsession.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/** One command per item in a single round trip, for the operator's walks (reads and repairs of many keys). */
final class Pipelined {
    private Pipelined() {}

    /**
     * The reply to {@code call} for each item, in order. A command that Redis refused (a key of another type, changed
     * since it was looked at) answers {@code null}; a connection failure fails the whole call.
     */
    static <X, T> List<T> each(RedisCommands commands, String operation, List<X> items,
            BiFunction<AbstractPipeline, X, Response<T>> call) {
        if (items.isEmpty()) {
            return List.of();
        }
        return commands.run(operation, client -> {
            List<Response<T>> responses = new ArrayList<>(items.size());
            try (AbstractPipeline pipeline = client.pipelined()) {
                for (X item : items) {
                    responses.add(call.apply(pipeline, item));
                }
                pipeline.sync();
            }
            List<T> replies = new ArrayList<>(responses.size());
            for (Response<T> response : responses) {
                try {
                    replies.add(response.get());
                } catch (JedisDataException e) {
                    replies.add(null);
                }
            }
            return replies;
        });
    }
}
