package io.authsession.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** authsession in a process of its own, as an operator runs it, with its output collected line by line. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENER = Pattern.compile("(public|internal) HTTP listener started on .*:(\\d+)$");

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private ServerProcess(Process process) {
        this.process = process;
        stdoutReader = follow(process.getInputStream(), stdout);
        stderrReader = follow(process.getErrorStream(), stderr);
    }

    /** Runs {@code Main} from the test class path (the classes under test). */
    static ServerProcess fromClasspath(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return start(command, env);
    }

    /** Runs the packaged jar, as the README does. */
    static ServerProcess fromJar(Path jar, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return start(command, env);
    }

    /**
     * Runs the packaged jar with at most {@code openFiles} file descriptors ({@code ulimit -n}, soft and hard), as
     * a tightly configured host would.
     */
    static ServerProcess fromJarWithOpenFileLimit(Path jar, int openFiles, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -n " + openFiles + " && exec \"$0\" \"$@\"",
                java(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return start(command, env);
    }

    private static ServerProcess start(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("AUTHSESSION_") || name.startsWith("OTEL_"));
        builder.environment().putAll(env);
        return new ServerProcess(builder.start());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Thread follow(java.io.InputStream stream, List<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /**
     * Once the process ended: waits until both outputs were read to their end, so that its last lines are there.
     * Bounded, since a child the process left running could hold the pipes open.
     */
    private void awaitOutputEnd() throws InterruptedException {
        stdoutReader.join(5_000);
        stderrReader.join(5_000);
    }

    /** Waits for a line of standard output containing {@code text}. */
    String awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = stdout.stream().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (!process.isAlive() && stdout.stream().noneMatch(l -> l.contains(text))) {
                awaitOutputEnd();
                return stdout.stream().filter(l -> l.contains(text)).findFirst().orElseThrow(() -> new AssertionError(
                        "process ended (" + process.exitValue() + ") without '" + text + "':\n" + output()));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line with '" + text + "' within " + timeout + ":\n" + output());
    }

    /** The port a listener reported in its startup line. */
    int listenerPort(String listener) throws InterruptedException {
        Matcher matcher = LISTENER.matcher(awaitLine(listener + " HTTP listener started on", Duration.ofSeconds(60)));
        if (!matcher.find()) {
            throw new AssertionError("unexpected listener line");
        }
        return Integer.parseInt(matcher.group(2));
    }

    /**
     * Whether this JVM, and so every process it starts, has {@code SIGINT} ignored: the build was started as a
     * background job of a non-interactive shell ({@code cmd &}), which ignores it, and a JVM keeps an ignored signal
     * ignored. A Ctrl-C test cannot run then; on Linux, {@code /proc/self/status} says so.
     */
    static boolean interruptIgnored() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("SigIgn:"))
                    .anyMatch(line -> (Long.parseLong(line.substring("SigIgn:".length()).strip(), 16) & 0x2) != 0);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Sends a signal, as an orchestrator would ({@code TERM}, {@code INT}). */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    }

    /** Waits for the exit status, and for the output up to the end. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ":\n" + output());
        }
        awaitOutputEnd();
        return process.exitValue();
    }

    List<String> stdout() {
        return List.copyOf(stdout);
    }

    List<String> stderr() {
        return List.copyOf(stderr);
    }

    String output() {
        return String.join("\n", stdout) + "\n--- stderr ---\n" + String.join("\n", stderr);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
