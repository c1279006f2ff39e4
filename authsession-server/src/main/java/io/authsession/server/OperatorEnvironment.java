package io.authsession.server;

import io.authsession.core.AuthSession;
import io.authsession.core.CodeHashKey;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.error.InvalidSettingException;
import io.authsession.redis.RedisAdapters;
import io.authsession.redis.RedisMaintenance;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The server's configuration and composition root as the operator command line ({@code admin}, CONTRACT §10) uses
 * them: the same environment variables and the same {@link Assembly}, without listeners. For that command line only.
 */
public final class OperatorEnvironment {
    /** The variables of the code-hash keys, as the server names them in its log. */
    public static final String CODE_HASH_KEY = ServerConfig.CODE_HASH_KEY;
    public static final String CODE_HASH_KEY_PREVIOUS = ServerConfig.CODE_HASH_KEY_PREVIOUS;

    private static final Logger ASSEMBLY_LOG = Logger.getLogger(Assembly.class.getName());

    private final ServerConfig config;
    private final Map<String, String> env;

    private OperatorEnvironment(ServerConfig config, Map<String, String> env) {
        this.config = config;
        this.env = env;
    }

    /**
     * Reads and validates the configuration exactly as the server does.
     *
     * @throws InvalidSettingException naming the variable and the broken rule
     */
    public static OperatorEnvironment read(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        try {
            return new OperatorEnvironment(ServerConfig.fromEnvironment(env, false), Map.copyOf(env));
        } catch (InvalidConfigurationException e) {
            String message = e.getMessage();
            int colon = message.indexOf(": ");
            throw colon < 0 ? new InvalidSettingException("configuration", message)
                    : new InvalidSettingException(message.substring(0, colon), message.substring(colon + 2));
        }
    }

    /**
     * Sends log lines to standard error, warnings and errors only, in the server's format: standard output is the
     * command's. The composition root's warnings (stub services, a generated code key) concern a serving process and
     * are left out.
     */
    public static void logToStandardError() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new StreamHandler(System.err, new LogFormat()) {
            @Override
            public synchronized void publish(java.util.logging.LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        root.addHandler(handler);
        root.setLevel(Level.WARNING);
        ASSEMBLY_LOG.setLevel(Level.SEVERE);
    }

    public Optional<CodeHashKey> codeHashKey() {
        return config.codeHashKey();
    }

    public Optional<CodeHashKey> previousCodeHashKey() {
        return config.previousCodeHashKey();
    }

    /** The runtime settings' defaults: the environment's, else the contract's. */
    public RuntimeSettings runtimeDefaults() {
        return config.runtimeDefaults();
    }

    /** The variable holding the default of a runtime setting, for example {@code AUTHSESSION_CHALLENGE_TTL}. */
    public String runtimeDefaultVariable(Setting setting) {
        return ServerConfig.RUNTIME_DEFAULT_VARIABLES.get(setting);
    }

    /** Whether the environment sets the default of this runtime setting (else the contract default applies). */
    public boolean runtimeDefaultFromEnvironment(Setting setting) {
        String value = env.get(runtimeDefaultVariable(setting));
        return value != null && !value.isEmpty();
    }

    /** {@code AUTHSESSION_REVOKED_SESSION_RETENTION}. */
    public Duration revokedSessionRetention() {
        return config.revokedSessionRetention();
    }

    /** The version of this build, as {@code java -jar authsession-server.jar --version} prints it. */
    public static String version() {
        return Version.current();
    }

    /**
     * Builds the composition root on the system clock and checks, within the startup check timeout, that Redis
     * answers.
     *
     * @throws DependencyUnavailableException when it does not
     */
    public Connection connect() {
        Assembly assembly = Assembly.build(config, Clock.systemUTC(), Assembly.Storage.CONFIGURED, OpenTelemetry.noop());
        Connection connection = new Connection(assembly);
        try {
            TimeBudget.check("redis", config.startupCheckTimeout(), () -> assembly.redis().sessionStore().ping());
            return connection;
        } catch (DependencyUnavailableException e) {
            connection.close();
            throw e;
        } catch (Exception e) {
            connection.close();
            throw new DependencyUnavailableException("redis", "no answer from " + config.redis().mode().wireName()
                    + " " + config.redis().startNodes() + ": " + LogFormat.oneLine(e), e);
        }
    }

    /** The assembled service: the facade, the Redis adapters and their maintenance side. */
    public static final class Connection implements AutoCloseable {
        private final Assembly assembly;

        private Connection(Assembly assembly) {
            this.assembly = assembly;
        }

        public AuthSession auth() {
            return assembly.auth();
        }

        public RedisAdapters redis() {
            return assembly.redis();
        }

        public RedisMaintenance maintenance() {
            return assembly.redis().maintenance();
        }

        /** The key in use: the configured one, or one made for this process when none is configured. */
        public CodeHashKey codeHashKey() {
            return assembly.codeHashKey();
        }

        @Override
        public void close() {
            for (Assembly.Step closer : assembly.closers()) {
                try {
                    closer.run().run();
                } catch (RuntimeException e) {
                    // closing an operator's connection: nothing left to do about it
                }
            }
        }
    }
}
