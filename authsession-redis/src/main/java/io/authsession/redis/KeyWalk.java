package io.authsession.redis;

import io.authsession.core.error.InvalidSettingException;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@code SCAN} over every node that holds authsession's keys, resumable from a {@link Cursor}: the one Redis, or on
 * Redis Cluster each primary in turn ({@link #primaries}); the cursor names the node it stands on.
 */
final class KeyWalk {
    /** The nodes of a deployment, and one {@code SCAN} call on one of them. */
    interface Nodes {
        int count();

        ScanResult<String> scan(int node, String cursor, ScanParams params);
    }

    /**
     * The primaries of the deployment ({@link RedisCommands#primaries()}): the one Redis of a standalone server or a
     * Sentinel group, each primary of a cluster in a stable order (by {@code host:port}), since a cluster answers
     * {@code SCAN} per node. The list is asked again for every call, so a walk follows a Sentinel failover; after a
     * cluster failover the promoted replica takes its old primary's place in the order only by chance, so a walk
     * interrupted by one is best run again from the start (it changes nothing twice).
     */
    static Nodes primaries(RedisCommands commands) {
        return new Nodes() {
            @Override
            public int count() {
                return commands.primaries().size();
            }

            @Override
            public ScanResult<String> scan(int node, String cursor, ScanParams params) {
                List<String> primaries = commands.primaries();
                if (node >= primaries.size()) {
                    throw new InvalidSettingException("resume", "the deployment has " + primaries.size()
                            + " primaries now, the cursor names node " + node);
                }
                return commands.onPrimary("scan keys", primaries.get(node), jedis -> jedis.scan(cursor, params));
            }
        };
    }

    /**
     * Where a walk stands: the node and its {@code SCAN} cursor, written {@code <node>:<cursor>} (what
     * {@code --resume} takes).
     */
    record Cursor(int node, String scanCursor) {
        static final Cursor START = new Cursor(0, ScanParams.SCAN_POINTER_START);
        /** Past the last node: the walk is complete. */
        static final int DONE_NODE = Integer.MAX_VALUE;

        Cursor {
            Objects.requireNonNull(scanCursor, "scanCursor");
        }

        boolean done() {
            return node == DONE_NODE;
        }

        /**
         * Reads {@code <node>:<cursor>}.
         *
         * @throws InvalidSettingException {@code resume}, when the text is not of that form
         */
        static Cursor parse(String text) {
            int colon = text.indexOf(':');
            try {
                if (colon > 0) {
                    int node = Integer.parseInt(text.substring(0, colon));
                    String scan = text.substring(colon + 1);
                    if (node >= 0 && scan.chars().allMatch(Character::isDigit) && !scan.isEmpty()) {
                        return new Cursor(node, scan);
                    }
                }
            } catch (NumberFormatException e) {
                // falls through to the refusal
            }
            throw new InvalidSettingException("resume", "'" + text + "' is not a cursor printed by an interrupted run"
                    + " (<node>:<scan cursor>, for example 0:1234)");
        }

        @Override
        public String toString() {
            return done() ? "done" : node + ":" + scanCursor;
        }
    }

    /** One {@code SCAN} reply (never {@code KEYS}): the key names it gave and where the walk stands after it. */
    record Page(List<String> names, Cursor next) {}

    private final Nodes nodes;

    KeyWalk(Nodes nodes) {
        this.nodes = nodes;
    }

    /** The next page of keys matching {@code pattern} from {@code at}; an empty page is possible mid-walk. */
    Page next(Cursor at, String pattern, int count) {
        if (at.done() || at.node() >= nodes.count()) {
            return new Page(List.of(), new Cursor(Cursor.DONE_NODE, ScanParams.SCAN_POINTER_START));
        }
        ScanResult<String> result = nodes.scan(at.node(), at.scanCursor(), new ScanParams().match(pattern).count(count));
        Cursor next = result.isCompleteIteration()
                ? (at.node() + 1 < nodes.count() ? new Cursor(at.node() + 1, ScanParams.SCAN_POINTER_START)
                        : new Cursor(Cursor.DONE_NODE, ScanParams.SCAN_POINTER_START))
                : new Cursor(at.node(), result.getCursor());
        return new Page(result.getResult(), next);
    }

    /**
     * Walks every key matching {@code pattern} from {@code from}, a page at a time, until the walk is complete or
     * {@code onPage} answers false.
     *
     * @return where the walk stopped ({@link Cursor#done()} when complete)
     */
    Cursor walk(Cursor from, String pattern, int count, Predicate<Page> onPage) {
        Cursor at = from;
        while (!at.done()) {
            Page page = next(at, pattern, count);
            at = page.next();
            if (!onPage.test(page)) {
                break;
            }
        }
        return at;
    }
}
