package io.authsession.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

/**
 * Counts what one flow costs Redis: the commands its client sent ({@code MONITOR} lines not marked {@code lua}; each
 * is one round trip unless the client pipelines) and every command Redis ran, those inside scripts included
 * ({@code INFO commandstats} deltas). The two views are cross-checked: client lines plus script lines seen by
 * {@code MONITOR} must equal the commandstats delta.
 */
final class CommandCounter implements AutoCloseable {
    private static final Pattern LINE = Pattern.compile("^\\S+ \\[\\d+ ([^\\]]+)\\] \"([^\"]*)\"(?: \"([^\"]*)\")?");
    /** The counter's own commands, never counted. */
    private static final List<String> OWN = List.of("echo", "info");

    /** What one flow costs, per run of it. */
    record Counts(String flow, double clientCommands, double redisCommands, String sequence, boolean consistent) {}

    private final Jedis monitor;
    private final Jedis control;
    private final String configKey;
    private final List<String> seen = new ArrayList<>();

    /**
     * @param configKey authsession's runtime settings hash: its periodic {@code HGETALL} (at most every 5 s) is
     *     not part of any flow and is left out of both counts
     */
    CommandCounter(BenchRedis redis, String configKey) {
        this.configKey = configKey;
        this.monitor = redis.connect();
        this.control = redis.connect();
        Thread thread = new Thread(() -> {
            try {
                monitor.monitor(new JedisMonitor() {
                    @Override
                    public void onCommand(String command) {
                        synchronized (seen) {
                            seen.add(command);
                        }
                    }
                });
            } catch (RuntimeException closed) {
                // the monitor connection was closed
            }
        }, "redis-monitor");
        thread.setDaemon(true);
        thread.start();
        mark("ready");
    }

    /** Runs {@code op} {@code times} times (with the run's index) and counts per run. */
    Counts measure(String flow, int times, IntConsumer op) {
        mark("begin");
        synchronized (seen) {
            seen.clear();
        }
        Map<String, Long> before = BenchRedis.commandCalls(control.info("commandstats"));
        List<String> markers = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            String marker = "op-" + UUID.randomUUID();
            markers.add(marker);
            control.echo(marker);
            op.accept(i);
        }
        Map<String, Long> after = BenchRedis.commandCalls(control.info("commandstats"));
        mark("end");

        List<List<String>> perRun = new ArrayList<>();
        long client = 0;
        long script = 0;
        long config = 0;
        List<String> current = null;
        synchronized (seen) {
            for (String line : seen) {
                Matcher m = LINE.matcher(line);
                if (!m.find()) {
                    continue;
                }
                String source = m.group(1);
                String command = m.group(2).toLowerCase(Locale.ROOT);
                if (command.equals("echo") && m.group(3) != null && m.group(3).startsWith("op-")) {
                    current = new ArrayList<>();
                    perRun.add(current);
                    continue;
                }
                if (OWN.contains(command) && !source.equals("lua")) {
                    continue;
                }
                if (command.equals("hgetall") && configKey.equals(m.group(3)) && !source.equals("lua")) {
                    config++;
                    continue;
                }
                if (source.equals("lua")) {
                    script++;
                } else {
                    client++;
                    if (current != null) {
                        current.add(command.toUpperCase(Locale.ROOT));
                    }
                }
            }
        }
        long redisSide = -config;
        for (Map.Entry<String, Long> entry : after.entrySet()) {
            if (!OWN.contains(entry.getKey())) {
                redisSide += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
            }
        }
        boolean consistent = perRun.size() == times && client + script == redisSide;
        return new Counts(flow, (double) client / times, (double) redisSide / times, sequenceOf(perRun), consistent);
    }

    /** The commands of a run, when every run sent the same ones; otherwise a note that they vary. */
    private static String sequenceOf(List<List<String>> perRun) {
        if (perRun.isEmpty()) {
            return "";
        }
        String first = String.join(", ", perRun.get(0));
        return perRun.stream().allMatch(run -> run.equals(perRun.get(0))) ? first : first + " (first run; others differ)";
    }

    /**
     * Waits until {@code MONITOR} has shown a marker sent now, so that every earlier command has been seen. The marker
     * is sent again every 20 ms: the first one can reach Redis before the {@code MONITOR} command does.
     */
    private void mark(String kind) {
        String marker = kind + "-" + UUID.randomUUID();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            control.echo(marker);
            for (int poll = 0; poll < 20; poll++) {
                synchronized (seen) {
                    for (int i = seen.size() - 1; i >= 0; i--) {
                        if (seen.get(i).contains(marker)) {
                            return;
                        }
                    }
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for MONITOR", e);
                }
            }
        }
        throw new IllegalStateException("MONITOR did not show marker " + marker + " within 10 s");
    }

    @Override
    public void close() {
        monitor.close();
        control.close();
    }
}
