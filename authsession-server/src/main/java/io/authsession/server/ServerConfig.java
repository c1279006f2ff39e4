package io.authsession.server;

import io.authsession.core.CodeHashKey;
import io.authsession.core.domain.DurationFormat;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.error.InvalidSettingException;
import io.authsession.redis.RedisSettings;
import io.authsession.rest.RestClients;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every setting of the process, read once from the environment and validated before anything starts
 * (docs/configuration.md lists them).
 */
record ServerConfig(
        ListenAddress publicAddress,
        ListenAddress internalAddress,
        Optional<String> internalApiToken,
        RuntimeSettings runtimeDefaults,
        Optional<CodeHashKey> codeHashKey,
        Optional<CodeHashKey> previousCodeHashKey,
        Duration confirmIdempotencyWindow,
        Duration challengeExpiredRetention,
        Duration revokedSessionRetention,
        Optional<RestService> userService,
        Optional<RestService> mailService,
        RedisSettings redis,
        Duration startupCheckTimeout,
        Duration shutdownTimeout,
        int httpMaxConnections,
        Duration sendAnswerTime,
        int sendDeliveryThreads,
        boolean dev,
        Set<String> unknownVariables) {

    static final String PREFIX = "AUTHSESSION_";
    static final String PUBLIC_HTTP_ADDR = "AUTHSESSION_PUBLIC_HTTP_ADDR";
    static final String INTERNAL_HTTP_ADDR = "AUTHSESSION_INTERNAL_HTTP_ADDR";
    static final String INTERNAL_API_TOKEN = "AUTHSESSION_INTERNAL_API_TOKEN";
    static final String CODE_HASH_KEY = "AUTHSESSION_CODE_HASH_KEY";
    static final String CODE_HASH_KEY_PREVIOUS = "AUTHSESSION_CODE_HASH_KEY_PREVIOUS";
    static final String CONFIRM_IDEMPOTENCY_WINDOW = "AUTHSESSION_CONFIRM_IDEMPOTENCY_WINDOW";
    static final String CHALLENGE_EXPIRED_RETENTION = "AUTHSESSION_CHALLENGE_EXPIRED_RETENTION";
    static final String REVOKED_SESSION_RETENTION = "AUTHSESSION_REVOKED_SESSION_RETENTION";
    static final String USER_SERVICE_MODE = "AUTHSESSION_USER_SERVICE_MODE";
    static final String USER_SERVICE_BASE_URL = "AUTHSESSION_USER_SERVICE_BASE_URL";
    static final String USER_SERVICE_REQUEST_TIMEOUT = "AUTHSESSION_USER_SERVICE_REQUEST_TIMEOUT";
    static final String MAIL_SERVICE_MODE = "AUTHSESSION_MAIL_SERVICE_MODE";
    static final String MAIL_SERVICE_BASE_URL = "AUTHSESSION_MAIL_SERVICE_BASE_URL";
    static final String MAIL_SERVICE_REQUEST_TIMEOUT = "AUTHSESSION_MAIL_SERVICE_REQUEST_TIMEOUT";
    static final String REDIS_ADDR = "AUTHSESSION_REDIS_ADDR";
    static final String REDIS_USERNAME = "AUTHSESSION_REDIS_USERNAME";
    static final String REDIS_PASSWORD = "AUTHSESSION_REDIS_PASSWORD";
    static final String REDIS_DB = "AUTHSESSION_REDIS_DB";
    static final String REDIS_TLS = "AUTHSESSION_REDIS_TLS";
    static final String REDIS_KEY_PREFIX = "AUTHSESSION_REDIS_KEY_PREFIX";
    static final String GATEWAY_SESSION_KEY_PREFIX = "AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX";
    static final String GATEWAY_SESSION_EVENTS_STREAM = "AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM";
    static final String GATEWAY_SESSION_EVENTS_MAXLEN = "AUTHSESSION_GATEWAY_SESSION_EVENTS_MAXLEN";
    static final String STARTUP_CHECK_TIMEOUT = "AUTHSESSION_STARTUP_CHECK_TIMEOUT";
    static final String SHUTDOWN_TIMEOUT = "AUTHSESSION_SHUTDOWN_TIMEOUT";
    static final String HTTP_MAX_CONNECTIONS = "AUTHSESSION_HTTP_MAX_CONNECTIONS";
    static final String SEND_ANSWER_TIME = "AUTHSESSION_SEND_ANSWER_TIME";
    static final String SEND_DELIVERY_THREADS = "AUTHSESSION_SEND_DELIVERY_THREADS";

    static final String REDIS_CONNECT_TIMEOUT = "AUTHSESSION_REDIS_CONNECT_TIMEOUT";
    static final String REDIS_SOCKET_TIMEOUT = "AUTHSESSION_REDIS_SOCKET_TIMEOUT";
    static final String REDIS_POOL_SIZE = "AUTHSESSION_REDIS_POOL_SIZE";
    static final String REDIS_POOL_MAX_WAIT = "AUTHSESSION_REDIS_POOL_MAX_WAIT";
    static final String REDIS_MODE = "AUTHSESSION_REDIS_MODE";
    static final String REDIS_SENTINELS = "AUTHSESSION_REDIS_SENTINELS";
    static final String REDIS_SENTINEL_MASTER = "AUTHSESSION_REDIS_SENTINEL_MASTER";
    static final String REDIS_SENTINEL_USERNAME = "AUTHSESSION_REDIS_SENTINEL_USERNAME";
    static final String REDIS_SENTINEL_PASSWORD = "AUTHSESSION_REDIS_SENTINEL_PASSWORD";
    static final String REDIS_MIN_REPLICAS_ACK = "AUTHSESSION_REDIS_MIN_REPLICAS_ACK";
    static final String REDIS_REPLICA_ACK_TIMEOUT = "AUTHSESSION_REDIS_REPLICA_ACK_TIMEOUT";

    /** The environment variable holding the default of each runtime setting (CONTRACT §5). */
    static final Map<Setting, String> RUNTIME_DEFAULT_VARIABLES = runtimeDefaultVariables();

    /** The variable to blame for an invalid {@link RedisSettings} component. */
    private static final Map<String, String> REDIS_VARIABLES = Map.ofEntries(
            Map.entry("address", REDIS_ADDR), Map.entry("host", REDIS_ADDR), Map.entry("port", REDIS_ADDR),
            Map.entry("database", REDIS_DB), Map.entry("connectTimeout", REDIS_CONNECT_TIMEOUT),
            Map.entry("socketTimeout", REDIS_SOCKET_TIMEOUT), Map.entry("poolSize", REDIS_POOL_SIZE),
            Map.entry("poolMaxWait", REDIS_POOL_MAX_WAIT), Map.entry("keyPrefix", REDIS_KEY_PREFIX),
            Map.entry("gatewaySessionKeyPrefix", GATEWAY_SESSION_KEY_PREFIX),
            Map.entry("gatewayEventsStream", GATEWAY_SESSION_EVENTS_STREAM),
            Map.entry("gatewayEventsMaxLength", GATEWAY_SESSION_EVENTS_MAXLEN),
            Map.entry("mode", REDIS_MODE), Map.entry("clusterNodes", REDIS_ADDR),
            Map.entry("sentinels", REDIS_SENTINELS),
            Map.entry("sentinelMasterName", REDIS_SENTINEL_MASTER), Map.entry("minReplicasAck", REDIS_MIN_REPLICAS_ACK),
            Map.entry("replicaAckTimeout", REDIS_REPLICA_ACK_TIMEOUT),
            Map.entry(RedisSettings.GATEWAY_NAMES,
                    GATEWAY_SESSION_KEY_PREFIX + " and " + GATEWAY_SESSION_EVENTS_STREAM));

    private static final Set<String> KNOWN = known(PUBLIC_HTTP_ADDR, INTERNAL_HTTP_ADDR, INTERNAL_API_TOKEN,
            CODE_HASH_KEY, CODE_HASH_KEY_PREVIOUS, CONFIRM_IDEMPOTENCY_WINDOW, CHALLENGE_EXPIRED_RETENTION,
            REVOKED_SESSION_RETENTION, USER_SERVICE_MODE, USER_SERVICE_BASE_URL, USER_SERVICE_REQUEST_TIMEOUT,
            MAIL_SERVICE_MODE, MAIL_SERVICE_BASE_URL, MAIL_SERVICE_REQUEST_TIMEOUT, REDIS_ADDR, REDIS_USERNAME,
            REDIS_PASSWORD, REDIS_DB, REDIS_TLS, REDIS_KEY_PREFIX, GATEWAY_SESSION_KEY_PREFIX,
            GATEWAY_SESSION_EVENTS_STREAM, GATEWAY_SESSION_EVENTS_MAXLEN, REDIS_CONNECT_TIMEOUT, REDIS_SOCKET_TIMEOUT,
            REDIS_POOL_SIZE, REDIS_POOL_MAX_WAIT, STARTUP_CHECK_TIMEOUT, SHUTDOWN_TIMEOUT, HTTP_MAX_CONNECTIONS,
            SEND_ANSWER_TIME, SEND_DELIVERY_THREADS, REDIS_MODE, REDIS_SENTINELS, REDIS_SENTINEL_MASTER,
            REDIS_SENTINEL_USERNAME, REDIS_SENTINEL_PASSWORD, REDIS_MIN_REPLICAS_ACK, REDIS_REPLICA_ACK_TIMEOUT,
            LogFormat.LOG_LEVEL, // read by Main before the rest, to log the rest at the right level
            "AUTHSESSION_TEST_REDIS_URL", "AUTHSESSION_TEST_REDIS_CLUSTER_URL", "AUTHSESSION_TEST_REDIS_SENTINEL_URL");

    private static Map<Setting, String> runtimeDefaultVariables() {
        Map<Setting, String> variables = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            // challenge_ttl is AUTHSESSION_CHALLENGE_TTL, and so on for every field of the runtime settings hash.
            variables.put(setting, PREFIX + setting.field().toUpperCase(Locale.ROOT));
        }
        return Collections.unmodifiableMap(variables);
    }

    private static Set<String> known(String... names) {
        Set<String> known = new TreeSet<>(Set.of(names));
        known.addAll(RUNTIME_DEFAULT_VARIABLES.values());
        return Set.copyOf(known);
    }

    /**
     * A REST service: where it is and how long one attempt may take.
     *
     * @param baseUrl http or https, without query
     * @param requestTimeout bound on each attempt
     */
    record RestService(URI baseUrl, Duration requestTimeout) {}

    /**
     * Reads and validates the configuration.
     *
     * @param dev {@code --dev}: Redis and the outbound services are replaced by embedded and stub ones
     * @throws InvalidConfigurationException naming the first variable that is wrong
     */
    static ServerConfig fromEnvironment(Map<String, String> env, boolean dev) throws InvalidConfigurationException {
        Reader read = new Reader(env);
        ListenAddress publicAddress = read.address(PUBLIC_HTTP_ADDR, ":8080");
        ListenAddress internalAddress = read.address(INTERNAL_HTTP_ADDR, ":8081");
        RuntimeSettings runtimeDefaults = read.runtimeDefaults();
        Duration idempotencyWindow = read.positiveDuration(CONFIRM_IDEMPOTENCY_WINDOW, "5m");
        Duration revokedRetention = read.positiveDuration(REVOKED_SESSION_RETENTION, "720h");
        if (revokedRetention.compareTo(idempotencyWindow) <= 0) {
            throw new InvalidConfigurationException(REVOKED_SESSION_RETENTION,
                    "must be longer than " + CONFIRM_IDEMPOTENCY_WINDOW + " (" + DurationFormat.format(idempotencyWindow)
                            + "), or a replayed confirm could outlive the session it names");
        }
        return new ServerConfig(
                publicAddress,
                internalAddress,
                read.optional(INTERNAL_API_TOKEN),
                runtimeDefaults,
                read.codeHashKey(CODE_HASH_KEY),
                read.codeHashKey(CODE_HASH_KEY_PREVIOUS),
                idempotencyWindow,
                read.positiveDuration(CHALLENGE_EXPIRED_RETENTION, "1h"),
                revokedRetention,
                read.service(USER_SERVICE_MODE, USER_SERVICE_BASE_URL, USER_SERVICE_REQUEST_TIMEOUT, dev),
                read.service(MAIL_SERVICE_MODE, MAIL_SERVICE_BASE_URL, MAIL_SERVICE_REQUEST_TIMEOUT, dev),
                read.redis(),
                read.positiveDuration(STARTUP_CHECK_TIMEOUT, "5s"),
                read.positiveDuration(SHUTDOWN_TIMEOUT, "10s"),
                (int) read.number(HTTP_MAX_CONNECTIONS, Integer.toString(HttpLimits.DEFAULT_MAX_CONNECTIONS), 1,
                        HttpLimits.MAX_MAX_CONNECTIONS),
                read.duration(SEND_ANSWER_TIME, "100ms"),
                (int) read.number(SEND_DELIVERY_THREADS, "64", 1, 4096),
                dev,
                unknownVariables(env));
    }

    private static Set<String> unknownVariables(Map<String, String> env) {
        Set<String> unknown = new TreeSet<>();
        for (String name : env.keySet()) {
            if (name.startsWith(PREFIX) && !KNOWN.contains(name)) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /** Reads single variables, each failure naming its variable. */
    private static final class Reader {
        private final Map<String, String> env;

        Reader(Map<String, String> env) {
            this.env = Objects.requireNonNull(env, "env");
        }

        Optional<String> optional(String variable) {
            return Optional.ofNullable(env.get(variable)).filter(value -> !value.isEmpty());
        }

        String orDefault(String variable, String fallback) {
            return optional(variable).orElse(fallback);
        }

        /** The defaults of the runtime settings; an absent or empty variable keeps the contract default. */
        RuntimeSettings runtimeDefaults() throws InvalidConfigurationException {
            RuntimeSettings settings = RuntimeSettings.DEFAULTS;
            for (Map.Entry<Setting, String> entry : RUNTIME_DEFAULT_VARIABLES.entrySet()) {
                Optional<String> raw = optional(entry.getValue());
                if (raw.isPresent()) {
                    try {
                        settings = settings.with(entry.getKey(), raw.get());
                    } catch (InvalidSettingException e) {
                        throw new InvalidConfigurationException(entry.getValue(), e.rule());
                    }
                }
            }
            return settings;
        }

        ListenAddress address(String variable, String fallback) throws InvalidConfigurationException {
            try {
                return ListenAddress.parse(orDefault(variable, fallback));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(variable, e.getMessage());
            }
        }

        /** A duration that may be zero. */
        Duration duration(String variable, String fallback) throws InvalidConfigurationException {
            try {
                return DurationFormat.parse(orDefault(variable, fallback));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(variable, e.getMessage());
            }
        }

        Duration positiveDuration(String variable, String fallback) throws InvalidConfigurationException {
            Duration duration;
            try {
                duration = DurationFormat.parse(orDefault(variable, fallback));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(variable, e.getMessage());
            }
            if (duration.isZero()) {
                throw new InvalidConfigurationException(variable, "must be longer than zero");
            }
            return duration;
        }

        long number(String variable, String fallback, long min, long max) throws InvalidConfigurationException {
            String raw = orDefault(variable, fallback);
            long value;
            try {
                value = Long.parseLong(raw.strip());
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(variable, "'" + raw + "' is not a whole number");
            }
            if (value < min) {
                throw new InvalidConfigurationException(variable, "must be at least " + min + ", got " + value);
            }
            if (value > max) {
                throw new InvalidConfigurationException(variable, "must be at most " + max + ", got " + value);
            }
            return value;
        }

        boolean bool(String variable, boolean fallback) throws InvalidConfigurationException {
            String raw = orDefault(variable, Boolean.toString(fallback)).strip().toLowerCase(Locale.ROOT);
            return switch (raw) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new InvalidConfigurationException(variable, "must be true or false, got '" + raw + "'");
            };
        }

        Optional<CodeHashKey> codeHashKey(String variable) throws InvalidConfigurationException {
            Optional<String> raw = optional(variable);
            if (raw.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(CodeHashKey.fromBase64(raw.get()));
            } catch (IllegalArgumentException e) {
                // The message never repeats the key itself.
                throw new InvalidConfigurationException(variable, e.getMessage()
                        + " (expected standard base64 of at least " + CodeHashKey.MIN_LENGTH + " random bytes)");
            }
        }

        /** Empty for the stub mode. {@code --dev} always uses the stub, whatever the variables say. */
        Optional<RestService> service(String modeVariable, String urlVariable, String timeoutVariable, boolean dev)
                throws InvalidConfigurationException {
            String mode = orDefault(modeVariable, "stub").strip().toLowerCase(Locale.ROOT);
            if (!mode.equals("stub") && !mode.equals("rest")) {
                throw new InvalidConfigurationException(modeVariable, "must be stub or rest, got '" + mode + "'");
            }
            if (mode.equals("stub") || dev) {
                return Optional.empty();
            }
            String url = optional(urlVariable).orElseThrow(() -> new InvalidConfigurationException(urlVariable,
                    "is required when " + modeVariable + "=rest"));
            if (optional(timeoutVariable).isEmpty()) {
                throw new InvalidConfigurationException(timeoutVariable, "is required when " + modeVariable + "=rest");
            }
            URI baseUrl;
            try {
                baseUrl = new URI(url.strip());
            } catch (URISyntaxException e) {
                throw new InvalidConfigurationException(urlVariable, "is not a URL");
            }
            Duration timeout = positiveDuration(timeoutVariable, "0");
            // The REST module owns the rules (scheme, host as OkHttp sees it, no user info, query or fragment,
            // timeout range); asking its builder here reports a violation against the variable, before startup.
            // The value is never repeated: a URL may hold a password (user info).
            boolean user = modeVariable.equals(USER_SERVICE_MODE);
            RestClients.Builder rules = RestClients.builder();
            Map<String, String> variables = Map.of(
                    user ? "userServiceBaseUrl" : "mailServiceBaseUrl", urlVariable,
                    user ? "userServiceRequestTimeout" : "mailServiceRequestTimeout", timeoutVariable);
            try {
                if (user) {
                    rules.userServiceBaseUrl(baseUrl).userServiceRequestTimeout(timeout);
                } else {
                    rules.mailServiceBaseUrl(baseUrl).mailServiceRequestTimeout(timeout);
                }
            } catch (InvalidSettingException e) {
                throw new InvalidConfigurationException(variables.getOrDefault(e.setting(), urlVariable), e.rule());
            }
            return Optional.of(new RestService(baseUrl, timeout));
        }

        RedisSettings redis() throws InvalidConfigurationException {
            RedisSettings.Builder redis = RedisSettings.builder();
            try {
                topology(redis);
                optional(REDIS_USERNAME).ifPresent(redis::username);
                optional(REDIS_PASSWORD).ifPresent(redis::password);
                redis.database((int) number(REDIS_DB, "0", 0, Integer.MAX_VALUE));
                redis.tls(bool(REDIS_TLS, false));
                redis.connectTimeout(positiveDuration(REDIS_CONNECT_TIMEOUT, "2s"));
                redis.socketTimeout(positiveDuration(REDIS_SOCKET_TIMEOUT, "2s"));
                redis.poolSize((int) number(REDIS_POOL_SIZE, "16", 1, 1024));
                redis.poolMaxWait(positiveDuration(REDIS_POOL_MAX_WAIT, "1s"));
                redis.keyPrefix(orDefault(REDIS_KEY_PREFIX, "authsession:"));
                redis.gatewaySessionKeyPrefix(orDefault(GATEWAY_SESSION_KEY_PREFIX, "gateway:session:"));
                redis.gatewayEventsStream(orDefault(GATEWAY_SESSION_EVENTS_STREAM, "gateway:session_events"));
                redis.gatewayEventsMaxLength(number(GATEWAY_SESSION_EVENTS_MAXLEN, "100000", 1, Long.MAX_VALUE));
                redis.minReplicasAck((int) number(REDIS_MIN_REPLICAS_ACK, "0", 0, RedisSettings.MAX_REPLICAS_ACK));
                redis.replicaAckTimeout(positiveDuration(REDIS_REPLICA_ACK_TIMEOUT, "500ms"));
                return redis.build();
            } catch (InvalidSettingException e) {
                throw new InvalidConfigurationException(REDIS_VARIABLES.getOrDefault(e.setting(), REDIS_ADDR), e.rule());
            }
        }

        /**
         * CONTRACT §7.1: one Redis at {@code AUTHSESSION_REDIS_ADDR}; the sentinels and master name of a Sentinel
         * group (the address is not used); or the seed nodes of a cluster, listed in {@code AUTHSESSION_REDIS_ADDR}.
         */
        private void topology(RedisSettings.Builder redis) throws InvalidConfigurationException {
            RedisSettings.Mode mode = RedisSettings.Mode.fromName(orDefault(REDIS_MODE, "standalone"));
            redis.mode(mode);
            String address = orDefault(REDIS_ADDR, "127.0.0.1:6379");
            switch (mode) {
                case STANDALONE -> {
                    if (address.contains(",")) {
                        throw new InvalidConfigurationException(REDIS_ADDR, "'" + address + "' lists several nodes;"
                                + " one Redis is host:port (the seed nodes of a cluster need " + REDIS_MODE
                                + "=cluster)");
                    }
                    redis.address(address);
                }
                case CLUSTER -> redis.clusterNodes(list(address));
                case SENTINEL -> {
                    redis.sentinels(list(optional(REDIS_SENTINELS).orElseThrow(() -> new InvalidConfigurationException(
                            REDIS_SENTINELS, "is required when " + REDIS_MODE + "=sentinel"))));
                    redis.sentinelMasterName(optional(REDIS_SENTINEL_MASTER).orElseThrow(() ->
                            new InvalidConfigurationException(REDIS_SENTINEL_MASTER, "is required when " + REDIS_MODE
                                    + "=sentinel")));
                }
            }
            if (mode != RedisSettings.Mode.SENTINEL) {
                // Refused by the settings, naming the variable: set without the mode that uses them.
                optional(REDIS_SENTINELS).ifPresent(sentinels -> redis.sentinels(list(sentinels)));
                optional(REDIS_SENTINEL_MASTER).ifPresent(redis::sentinelMasterName);
            }
            optional(REDIS_SENTINEL_USERNAME).ifPresent(redis::sentinelUsername);
            optional(REDIS_SENTINEL_PASSWORD).ifPresent(redis::sentinelPassword);
        }

        private static List<String> list(String commaSeparated) {
            return Arrays.stream(commaSeparated.split(",", -1)).map(String::strip).toList();
        }
    }
}
