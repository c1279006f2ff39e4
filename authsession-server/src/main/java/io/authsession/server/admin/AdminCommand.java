package io.authsession.server.admin;

import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.error.InvalidSettingException;
import io.authsession.server.OperatorEnvironment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar authsession-server.jar admin <command>}: the operator command line of CONTRACT §10, configured by
 * the server's environment variables. Exit status: 0 success, 1 a dependency failed, 2 bad usage or configuration,
 * 3 the audit found problems (130 for a mass logout stopped by Ctrl-C).
 */
@Command(name = "admin", mixinStandardHelpOptions = true, versionProvider = AdminCommand.Version.class,
        description = {"Operates authsession's data: sessions, the mass logout, the audit and repair of the keys,"
                + " failed-guess budgets, runtime settings and code-hash keys.",
                "Configured by the same environment variables as the server (docs/configuration.md).",
                "Exit status: 0 success, 1 a dependency failed, 2 bad usage or configuration, 3 the audit found problems."},
        subcommands = {SessionsCommand.class, KeysCommand.class, AddressesCommand.class, ConfigCommand.class,
            CodeKeyCommand.class})
public final class AdminCommand implements Runnable {
    private static final String NAME = "authsession admin";

    @Spec
    CommandSpec spec;

    AdminCommand(Context context) {
        Objects.requireNonNull(context, "context");
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The version of the jar, as {@code --version} of the server prints it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"authsession " + OperatorEnvironment.version()};
        }
    }

    /**
     * Runs the command line of a process: real standard streams, the process environment, Ctrl-C heard after the
     * batch in flight. Never returns: ends the process with the command's exit status.
     */
    public static void main(String[] args) {
        OperatorEnvironment.logToStandardError();
        Interruption interruption = Interruption.install();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        int status;
        try (Context context = new Context(System.getenv(), out, err, in, interruption::requested, terminal,
                Duration.ofSeconds(5), Clock.systemUTC())) {
            status = execute(args, context);
        }
        interruption.finish(status);
        if (interruption.stopping()) {
            // The shutdown hook is running and ends the process with this status; exit() would wait for it forever.
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        System.exit(status);
    }

    /** Parses and runs one command line in {@code context}; the exit status. */
    static int execute(String[] args, Context context) {
        CommandLine line = commandLine(context);
        return line.execute(args);
    }

    /** The command tree, its output on the context's streams, errors as one line each. */
    static CommandLine commandLine(Context context) {
        CommandLine line = new CommandLine(new AdminCommand(context), new Factory(context));
        line.setOut(context.out);
        line.setErr(context.err);
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setParameterExceptionHandler((e, args) -> {
            context.err.println(NAME + ": " + e.getMessage() + " (see '" + qualifiedName(e.getCommandLine())
                    + " --help')");
            context.err.flush();
            return Exit.USAGE;
        });
        line.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            context.err.println(NAME + ": " + problem(e));
            context.err.flush();
            return exitStatus(e);
        });
        return line;
    }

    private static String qualifiedName(CommandLine line) {
        return line.getCommandSpec().qualifiedName(" ");
    }

    static int exitStatus(Exception e) {
        if (e instanceof DependencyUnavailableException) {
            return Exit.DEPENDENCY;
        }
        if (e instanceof UsageException || e instanceof InvalidSettingException || e instanceof AuthSessionException) {
            return Exit.USAGE;
        }
        return Exit.DEPENDENCY;
    }

    /** One line naming the problem. */
    static String problem(Exception e) {
        if (e instanceof DependencyUnavailableException d) {
            return "a dependency failed: " + d.dependency() + ": " + oneLine(d.getMessage());
        }
        if (e instanceof UsageException || e instanceof InvalidSettingException || e instanceof AuthSessionException) {
            return oneLine(e.getMessage());
        }
        return "failed: " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage()));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
    }

    /** Makes every command with its context; picocli's own classes the usual way. */
    private static final class Factory implements CommandLine.IFactory {
        private final Context context;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        Factory(Context context) {
            this.context = context;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> constructor = cls.getDeclaredConstructor(Context.class);
                return constructor.newInstance(context);
            } catch (NoSuchMethodException e) {
                return fallback.create(cls);
            }
        }
    }

    /** The command tree with every command and option, for tests and tools that list them; runs nothing. */
    public static CommandLine commandLineForInspection(PrintWriter sink) {
        return commandLine(new Context(Map.of(), sink, sink, new BufferedReader(new java.io.StringReader("")),
                () -> false, false, Duration.ofSeconds(5), Clock.systemUTC()));
    }

    /** For tests and other in-process callers: the environment and the streams. */
    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        try (Context context = new Context(env, out, err, new BufferedReader(new java.io.StringReader("")), () -> false,
                false, Duration.ofSeconds(5), Clock.systemUTC())) {
            return execute(args, context);
        }
    }
}
