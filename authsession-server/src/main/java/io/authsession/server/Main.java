package io.authsession.server;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Starts authsession from the environment ({@code docs/configuration.md}); {@code --dev} runs it with an embedded
 * Redis and stub user and mail services; {@code --version} prints the version and exits. Exit status: 0 after a clean
 * shutdown, 1 when startup failed, 2 for an invalid configuration or command line.
 */
public final class Main {
    static {
        LogFormat.selectLogManager();
    }

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("admin")) {
            // The operator command line (CONTRACT §10): same configuration, no listener; it ends the process itself.
            io.authsession.server.admin.AdminCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        List<String> arguments = List.of(args);
        if (arguments.equals(List.of("--version"))) {
            System.out.println("authsession " + Version.current());
            return;
        }
        Map<String, String> env = System.getenv();
        try {
            LogFormat.install(LogFormat.level(env));
        } catch (InvalidConfigurationException e) {
            System.err.println("authsession: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!arguments.stream().allMatch("--dev"::equals)) {
            System.err.println("usage: java -jar authsession-server.jar [--dev | --version | admin <command>]");
            System.exit(2);
        }
        boolean dev = arguments.contains("--dev");
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(env, dev);
        } catch (InvalidConfigurationException e) {
            System.err.println("authsession: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (dev) {
            LOG.log(Level.WARNING, "event=dev_mode warning=\"embedded Redis and stub user and mail services: for a"
                    + " developer's machine only\"");
        }
        // Registered before anything starts: a signal that arrives the moment the listener lines are out (or while
        // they are being opened) must find the hook, which then waits for the start to end and stops what started.
        CompletableFuture<Optional<AuthSessionServer>> started = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Optional<AuthSessionServer> server = started.join();
            if (server.isEmpty()) {
                return; // startup failed: its exit status 1 stands
            }
            server.get().close();
            LogFormat.flush();
            // SIGTERM and SIGINT otherwise end the JVM with 143 and 130; a clean shutdown is a success.
            Runtime.getRuntime().halt(0);
        }, "authsession-shutdown"));
        try {
            started.complete(Optional.of(AuthSessionServer.start(config, env)));
        } catch (StartupException e) {
            started.complete(Optional.empty());
            LOG.log(Level.ERROR, () -> "event=startup_failed component=" + e.component() + " error=\""
                    + LogFormat.oneLine(e.getCause()) + "\"");
            LogFormat.flush();
            System.exit(1);
        } catch (RuntimeException | Error e) {
            started.complete(Optional.empty());
            throw e;
        }
    }
}
