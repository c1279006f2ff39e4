package io.authsession.server.admin;

import io.authsession.core.error.InvalidSettingException;
import io.authsession.server.OperatorEnvironment;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What every command runs with: the environment, the output streams, how a stop is asked for (Ctrl-C), whether
 * standard error is a terminal, and the configuration and Redis connection, made on first use and closed at the end.
 */
final class Context implements AutoCloseable {
    final Map<String, String> env;
    final PrintWriter out;
    final PrintWriter err;
    final BufferedReader in;
    final BooleanSupplier stopRequested;
    final boolean terminal;
    final Duration progressInterval;
    final Clock clock;
    private OperatorEnvironment environment;
    private OperatorEnvironment.Connection connection;

    Context(Map<String, String> env, PrintWriter out, PrintWriter err, BufferedReader in, BooleanSupplier stopRequested,
            boolean terminal, Duration progressInterval, Clock clock) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.out = out;
        this.err = err;
        this.in = in;
        this.stopRequested = stopRequested;
        this.terminal = terminal;
        this.progressInterval = progressInterval;
        this.clock = clock;
    }

    /** The server's configuration; an invalid variable is a usage error naming it. */
    OperatorEnvironment environment() {
        if (environment == null) {
            try {
                environment = OperatorEnvironment.read(env);
            } catch (InvalidSettingException e) {
                throw new UsageException("invalid configuration: " + e.getMessage());
            }
        }
        return environment;
    }

    /** The composition root on the configured Redis, checked to answer. */
    OperatorEnvironment.Connection connection() {
        if (connection == null) {
            connection = environment().connect();
        }
        return connection;
    }

    /** The default of {@code --operator}: the {@code USER} environment variable. */
    String defaultOperator() {
        String user = env.get("USER");
        return user == null || user.isBlank() ? "unknown" : user;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        out.flush();
        err.flush();
    }
}
