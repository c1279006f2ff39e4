package io.authsession.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A {@code sh} process that kills this JVM's {@code redis-server} processes when the JVM dies, however it dies.
 *
 * <p>It reads {@code + pid} and {@code - pid} lines from a pipe whose only writer is this JVM. The kernel closes
 * the pipe when the JVM exits, even after {@code SIGKILL}; the watchdog then reads end-of-file, sends
 * {@code SIGKILL} to every pid still registered and removes the working directories that name this JVM as their
 * owner. After a clean exit nothing is registered any more and it simply ends. Java cannot ask the kernel to signal
 * a child when its parent dies ({@code PR_SET_PDEATHSIG}), hence the pipe.
 */
final class Watchdog {
    private static final System.Logger LOG = System.getLogger(Watchdog.class.getName());
    private static final String SCRIPT = String.join("\n",
            "pids=",
            "while read -r op pid; do",
            "  case \"$op\" in",
            "    +) pids=\"$pids $pid\" ;;",
            "    -) keep=; for p in $pids; do [ \"$p\" = \"$pid\" ] || keep=\"$keep $p\"; done; pids=$keep ;;",
            "  esac",
            "done",
            "[ -n \"$pids\" ] || exit 0",
            "kill -9 $pids 2>/dev/null",
            "for d in \"$1\"/*/; do",
            "  [ -f \"$d/owner\" ] && grep -qx \"owner_pid=$2\" \"$d/owner\" && rm -rf \"$d\"",
            "done",
            "exit 0");

    private final Process process;
    private final OutputStream pipe;
    private boolean broken;

    private Watchdog(Process process) {
        this.process = process;
        this.pipe = process.getOutputStream();
    }

    /** Starts a watchdog over the working directories under {@code processes}, or none where there is no shell. */
    static Optional<Watchdog> start(Path processes) {
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("windows")) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(List.of("/bin/sh", "-c", SCRIPT, "authsession-redis-watchdog",
                    processes.toString(), Long.toString(ProcessHandle.current().pid())))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return Optional.of(new Watchdog(process));
        } catch (IOException e) {
            LOG.log(Level.WARNING, () -> "event=embedded_redis_watchdog_unavailable error=\"" + e.getMessage()
                    + "\" consequence=\"a redis-server outliving a killed JVM is stopped at the next start\"");
            return Optional.empty();
        }
    }

    long pid() {
        return process.pid();
    }

    /** Kill {@code pid} if this JVM dies before {@link #release} is called for it. */
    synchronized void guard(long pid) {
        send("+ " + pid + "\n");
    }

    /** {@code pid} has ended and was reaped: forget it, its number may be reused. */
    synchronized void release(long pid) {
        send("- " + pid + "\n");
    }

    private void send(String line) {
        if (broken) {
            return;
        }
        try {
            pipe.write(line.getBytes(StandardCharsets.US_ASCII));
            pipe.flush();
        } catch (IOException e) {
            broken = true;
            LOG.log(Level.WARNING, () -> "event=embedded_redis_watchdog_lost exit=" + (process.isAlive() ? "-"
                    : process.exitValue()) + " consequence=\"a redis-server outliving a killed JVM is stopped at the"
                    + " next start\"");
        }
    }
}
