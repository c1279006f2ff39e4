package io.authsession.redis;

import io.authsession.core.error.InvalidSettingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Redis and where authsession's keys live. Immutable; {@link #toString()} hides the passwords. An invalid
 * value is an {@link InvalidSettingException} naming the component or builder method ({@code port}, {@code poolMaxWait}).
 *
 * <p>Three topologies (docs/redis.md, <i>Topologies</i>), each on Jedis's own client for it:
 * <pre>{@code
 * RedisSettings.builder().address("redis:6379")                                  // one Redis (the default)
 * RedisSettings.builder().sentinel("authsession", "s1:26379", "s2:26379")        // Sentinel: master name, sentinels
 * RedisSettings.builder().cluster("n1:6379", "n2:6379")                          // Cluster: seed nodes
 *         .gatewaySessionKeyPrefix("{gateway}session:").gatewayEventsStream("{gateway}session_events")
 * }</pre>
 * On a cluster the database must be 0, the key prefix carries no hash tag of its own (authsession tags each owner's
 * keys after it), and the gateway's two names must share one hash tag, so that a publication stays one atomic step
 * in one slot. With {@link Builder#minReplicasAck(int)} above 0, every revocation, revoke-all and session creation
 * (and every projection publication) waits until that many replicas hold it, and fails as unavailable otherwise.
 *
 * @param host Redis host (standalone mode)
 * @param port Redis port (standalone mode)
 * @param username ACL user, if any
 * @param password password (of the ACL user, or of the default user), if any
 * @param database logical database index
 * @param tls whether to connect with TLS (host names are verified)
 * @param connectTimeout bound on opening a connection
 * @param socketTimeout bound on waiting for any single reply
 * @param poolSize most connections open at once
 * @param poolMaxWait most time a call waits for a free connection before failing
 * @param keyPrefix prefix of every key of authsession's own, for example {@code authsession:}
 * @param gatewaySessionKeyPrefix prefix of the gateway's snapshot keys, for example {@code gateway:session:}
 * @param gatewayEventsStream the gateway's event stream, for example {@code gateway:session_events}
 * @param gatewayEventsMaxLength approximate length the stream is trimmed to
 * @param mode standalone, Sentinel or Cluster
 * @param clusterNodes the seed nodes (cluster mode; empty otherwise)
 * @param sentinels the sentinels (sentinel mode; empty otherwise)
 * @param sentinelMasterName the master name the sentinels monitor (sentinel mode)
 * @param sentinelUsername ACL user for the sentinels, if any
 * @param sentinelPassword the sentinels' password, if any
 * @param minReplicasAck replicas a durable write waits for ({@code WAIT}); 0 waits for none
 * @param replicaAckTimeout how long a durable write waits for them
 */
public record RedisSettings(
        String host,
        int port,
        Optional<String> username,
        Optional<String> password,
        int database,
        boolean tls,
        Duration connectTimeout,
        Duration socketTimeout,
        int poolSize,
        Duration poolMaxWait,
        String keyPrefix,
        String gatewaySessionKeyPrefix,
        String gatewayEventsStream,
        long gatewayEventsMaxLength,
        Mode mode,
        List<Endpoint> clusterNodes,
        List<Endpoint> sentinels,
        Optional<String> sentinelMasterName,
        Optional<String> sentinelUsername,
        Optional<String> sentinelPassword,
        int minReplicasAck,
        Duration replicaAckTimeout) {

    /** Most replicas a write may be made to wait for. */
    public static final int MAX_REPLICAS_ACK = 100;

    /** Which Redis deployment authsession talks to. */
    public enum Mode {
        /** One Redis server ({@link RedisSettings#host()}:{@link RedisSettings#port()}). */
        STANDALONE,
        /** A primary found and followed through Redis Sentinel. */
        SENTINEL,
        /** Redis Cluster, discovered from seed nodes. */
        CLUSTER;

        /** {@code standalone}, {@code sentinel} or {@code cluster}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The mode named {@code standalone}, {@code sentinel} or {@code cluster} (any case).
         *
         * @throws InvalidSettingException {@code mode}, for any other name
         */
        public static Mode fromName(String name) {
            Objects.requireNonNull(name, "name");
            for (Mode mode : values()) {
                if (mode.wireName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return mode;
                }
            }
            throw new InvalidSettingException("mode", "must be standalone, sentinel or cluster, got '" + name + "'");
        }
    }

    /**
     * A Redis node or sentinel.
     *
     * @param host host name or IP address (without brackets for IPv6)
     * @param port 1 to 65535
     */
    public record Endpoint(String host, int port) {
        public Endpoint {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new InvalidSettingException("address", "host must not be blank");
            }
            if (port < 1 || port > 65535) {
                throw new InvalidSettingException("address", "Redis port must be between 1 and 65535, got " + port);
            }
        }

        /**
         * Reads {@code host:port} ({@code [::1]:6379} for IPv6).
         *
         * @param setting the name to report a malformed text against
         * @throws InvalidSettingException naming {@code setting}
         */
        public static Endpoint parse(String address, String setting) {
            Objects.requireNonNull(address, "address");
            String text = address.strip();
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new InvalidSettingException(setting, "'" + address + "' is not host:port");
            }
            String hostPart = text.substring(0, colon);
            if (hostPart.startsWith("[") && hostPart.endsWith("]")) {
                hostPart = hostPart.substring(1, hostPart.length() - 1);
            }
            int portPart;
            try {
                portPart = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(setting, "'" + address + "' has no numeric port", e);
            }
            try {
                return new Endpoint(hostPart, portPart);
            } catch (InvalidSettingException e) {
                throw new InvalidSettingException(setting, e.rule(), e);
            }
        }

        /** Each {@code host:port} of a comma-separated list; empty entries are refused. */
        static List<Endpoint> parseList(String addresses, String setting) {
            Objects.requireNonNull(addresses, "addresses");
            List<Endpoint> endpoints = new ArrayList<>();
            for (String part : addresses.split(",", -1)) {
                if (part.isBlank()) {
                    throw new InvalidSettingException(setting, "'" + addresses + "' has an empty entry;"
                            + " write host:port[,host:port...]");
                }
                endpoints.add(parse(part, setting));
            }
            return List.copyOf(endpoints);
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public RedisSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        Objects.requireNonNull(poolMaxWait, "poolMaxWait");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(gatewaySessionKeyPrefix, "gatewaySessionKeyPrefix");
        Objects.requireNonNull(gatewayEventsStream, "gatewayEventsStream");
        Objects.requireNonNull(mode, "mode");
        clusterNodes = List.copyOf(Objects.requireNonNull(clusterNodes, "clusterNodes"));
        sentinels = List.copyOf(Objects.requireNonNull(sentinels, "sentinels"));
        Objects.requireNonNull(sentinelMasterName, "sentinelMasterName");
        Objects.requireNonNull(sentinelUsername, "sentinelUsername");
        Objects.requireNonNull(sentinelPassword, "sentinelPassword");
        Objects.requireNonNull(replicaAckTimeout, "replicaAckTimeout");
        if (host.isBlank()) {
            throw new InvalidSettingException("host", "must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new InvalidSettingException("port", "must be between 1 and 65535, got " + port);
        }
        if (database < 0) {
            throw new InvalidSettingException("database", "must not be negative, got " + database);
        }
        positive(connectTimeout, "connectTimeout");
        positive(socketTimeout, "socketTimeout");
        positive(poolMaxWait, "poolMaxWait");
        if (poolSize < 1) {
            throw new InvalidSettingException("poolSize", "must be at least 1, got " + poolSize);
        }
        if (gatewaySessionKeyPrefix.isEmpty()) {
            throw new InvalidSettingException("gatewaySessionKeyPrefix", "must not be empty");
        }
        if (gatewayEventsStream.isEmpty()) {
            throw new InvalidSettingException("gatewayEventsStream", "must not be empty");
        }
        if (gatewayEventsMaxLength < 1) {
            throw new InvalidSettingException("gatewayEventsMaxLength", "must be at least 1, got " + gatewayEventsMaxLength);
        }
        if (poolMaxWait.compareTo(socketTimeout) > 0) {
            // A request would then wait longer for a connection than for any answer: under a hung Redis the
            // workers of the HTTP listeners pile up behind the pool instead of answering 503.
            throw new InvalidSettingException("poolMaxWait", "must not be longer than socketTimeout ("
                    + socketTimeout.toMillis() + "ms), got " + poolMaxWait.toMillis() + "ms");
        }
        if (minReplicasAck < 0 || minReplicasAck > MAX_REPLICAS_ACK) {
            throw new InvalidSettingException("minReplicasAck", "must be between 0 and " + MAX_REPLICAS_ACK + ", got "
                    + minReplicasAck);
        }
        positive(replicaAckTimeout, "replicaAckTimeout");
        if (minReplicasAck > 0 && replicaAckTimeout.compareTo(socketTimeout) >= 0) {
            throw new InvalidSettingException("replicaAckTimeout", "must be shorter than socketTimeout ("
                    + socketTimeout.toMillis() + "ms), or the connection times out before WAIT answers; got "
                    + replicaAckTimeout.toMillis() + "ms");
        }
        checkTopology(mode, database, keyPrefix, gatewaySessionKeyPrefix, gatewayEventsStream, clusterNodes, sentinels,
                sentinelMasterName);
    }

    private static void checkTopology(Mode mode, int database, String keyPrefix, String gatewaySessionKeyPrefix,
            String gatewayEventsStream, List<Endpoint> clusterNodes, List<Endpoint> sentinels,
            Optional<String> sentinelMasterName) {
        if (mode != Mode.SENTINEL && !sentinels.isEmpty()) {
            throw new InvalidSettingException("sentinels", "only used in sentinel mode (the mode is "
                    + mode.wireName() + ")");
        }
        if (mode != Mode.SENTINEL && sentinelMasterName.isPresent()) {
            throw new InvalidSettingException("sentinelMasterName", "only used in sentinel mode (the mode is "
                    + mode.wireName() + ")");
        }
        if (mode != Mode.CLUSTER && !clusterNodes.isEmpty()) {
            throw new InvalidSettingException("clusterNodes", "only used in cluster mode (the mode is "
                    + mode.wireName() + ")");
        }
        switch (mode) {
            case SENTINEL -> {
                if (sentinels.isEmpty()) {
                    throw new InvalidSettingException("sentinels", "at least one sentinel (host:port) is required in"
                            + " sentinel mode");
                }
                if (sentinelMasterName.filter(name -> !name.isBlank()).isEmpty()) {
                    throw new InvalidSettingException("sentinelMasterName", "is required in sentinel mode");
                }
            }
            case CLUSTER -> {
                if (clusterNodes.isEmpty()) {
                    throw new InvalidSettingException("clusterNodes", "at least one seed node (host:port) is required"
                            + " in cluster mode");
                }
                if (database != 0) {
                    throw new InvalidSettingException("database", "must be 0 in cluster mode, got " + database);
                }
                if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
                    throw new InvalidSettingException("keyPrefix", "must not contain '{' or '}' in cluster mode:"
                            + " authsession puts each owner's hash tag after it");
                }
                Optional<String> snapshotTag = hashTagOf(gatewaySessionKeyPrefix);
                if (snapshotTag.isEmpty() || !snapshotTag.equals(hashTagOf(gatewayEventsStream))) {
                    throw new InvalidSettingException(GATEWAY_NAMES, "must share one hash tag in cluster mode, so that"
                            + " the snapshot key and the event stream are written in one atomic step (one slot); for"
                            + " example {gateway}session: and {gateway}session_events; got '" + gatewaySessionKeyPrefix
                            + "' and '" + gatewayEventsStream + "'");
                }
            }
            default -> {
            }
        }
    }

    /** The setting an error about both gateway names is reported against. */
    public static final String GATEWAY_NAMES = "gatewaySessionKeyPrefix and gatewayEventsStream";

    /**
     * The hash tag Redis Cluster hashes a key by when its name starts with {@code name}: the text between the first
     * opening brace and the next closing brace, when that is not empty and within {@code name}. Empty when keys
     * starting with {@code name} would be hashed whole (then two of them share a slot only by chance).
     */
    static Optional<String> hashTagOf(String name) {
        int open = name.indexOf('{');
        if (open < 0) {
            return Optional.empty();
        }
        int close = name.indexOf('}', open + 1);
        return close > open + 1 ? Optional.of(name.substring(open + 1, close)) : Optional.empty();
    }

    /** The addresses of the nodes this mode starts from: the server, the sentinels, or the cluster's seeds. */
    public List<Endpoint> startNodes() {
        return switch (mode) {
            case STANDALONE -> List.of(new Endpoint(host, port));
            case SENTINEL -> sentinels;
            case CLUSTER -> clusterNodes;
        };
    }

    /** A builder with the contract defaults: {@code 127.0.0.1:6379}, database 0, no TLS, prefix {@code authsession:}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.host = host;
        builder.port = port;
        builder.username = username;
        builder.password = password;
        builder.database = database;
        builder.tls = tls;
        builder.connectTimeout = connectTimeout;
        builder.socketTimeout = socketTimeout;
        builder.poolSize = poolSize;
        builder.poolMaxWait = poolMaxWait;
        builder.keyPrefix = keyPrefix;
        builder.gatewaySessionKeyPrefix = gatewaySessionKeyPrefix;
        builder.gatewayEventsStream = gatewayEventsStream;
        builder.gatewayEventsMaxLength = gatewayEventsMaxLength;
        builder.mode = mode;
        builder.clusterNodes = clusterNodes;
        builder.sentinels = sentinels;
        builder.sentinelMasterName = sentinelMasterName;
        builder.sentinelUsername = sentinelUsername;
        builder.sentinelPassword = sentinelPassword;
        builder.minReplicasAck = minReplicasAck;
        builder.replicaAckTimeout = replicaAckTimeout;
        return builder;
    }

    @Override
    public String toString() {
        String where = switch (mode) {
            case STANDALONE -> "address=" + new Endpoint(host, port);
            case SENTINEL -> "sentinels=" + sentinels + ", master=" + sentinelMasterName.orElse("-")
                    + ", sentinelUsername=" + sentinelUsername.orElse("-") + ", sentinelPassword="
                    + (sentinelPassword.isPresent() ? "***" : "-");
            case CLUSTER -> "seeds=" + clusterNodes;
        };
        return "RedisSettings[mode=" + mode.wireName() + ", " + where + ", username=" + username.orElse("-")
                + ", password=" + (password.isPresent() ? "***" : "-") + ", database=" + database + ", tls=" + tls
                + ", keyPrefix=" + keyPrefix + ", gatewaySessionKeyPrefix=" + gatewaySessionKeyPrefix
                + ", gatewayEventsStream=" + gatewayEventsStream + ", minReplicasAck=" + minReplicasAck + "]";
    }

    private static void positive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new InvalidSettingException(name, "must be positive");
        }
    }

    /** Builds {@link RedisSettings}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 6379;
        private Optional<String> username = Optional.empty();
        private Optional<String> password = Optional.empty();
        private int database;
        private boolean tls;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(2);
        private int poolSize = 16;
        private Duration poolMaxWait = Duration.ofSeconds(1);
        private String keyPrefix = "authsession:";
        private String gatewaySessionKeyPrefix = "gateway:session:";
        private String gatewayEventsStream = "gateway:session_events";
        private long gatewayEventsMaxLength = 100_000;
        private Mode mode = Mode.STANDALONE;
        private List<Endpoint> clusterNodes = List.of();
        private List<Endpoint> sentinels = List.of();
        private Optional<String> sentinelMasterName = Optional.empty();
        private Optional<String> sentinelUsername = Optional.empty();
        private Optional<String> sentinelPassword = Optional.empty();
        private int minReplicasAck;
        private Duration replicaAckTimeout = Duration.ofMillis(500);

        private Builder() {}

        /**
         * Sets host and port from {@code host:port} ({@code [::1]:6379} for IPv6).
         *
         * @throws InvalidSettingException when the text is not of that form
         */
        public Builder address(String address) {
            Endpoint endpoint = Endpoint.parse(address, "address");
            this.host = endpoint.host();
            this.port = endpoint.port();
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder username(String username) {
            this.username = Optional.of(username);
            return this;
        }

        public Builder password(String password) {
            this.password = Optional.of(password);
            return this;
        }

        public Builder database(int database) {
            this.database = database;
            return this;
        }

        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
            return this;
        }

        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        public Builder poolMaxWait(Duration poolMaxWait) {
            this.poolMaxWait = poolMaxWait;
            return this;
        }

        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        public Builder gatewaySessionKeyPrefix(String gatewaySessionKeyPrefix) {
            this.gatewaySessionKeyPrefix = gatewaySessionKeyPrefix;
            return this;
        }

        public Builder gatewayEventsStream(String gatewayEventsStream) {
            this.gatewayEventsStream = gatewayEventsStream;
            return this;
        }

        public Builder gatewayEventsMaxLength(long gatewayEventsMaxLength) {
            this.gatewayEventsMaxLength = gatewayEventsMaxLength;
            return this;
        }

        /** {@code standalone} (the default), {@code sentinel} or {@code cluster}; see the methods below. */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Redis Cluster, discovered from these seed nodes ({@code host:port} each; any reachable node of the cluster
         * will do, list several in case one is down). Sets the mode to {@code cluster}.
         *
         * @throws InvalidSettingException {@code clusterNodes}, for a malformed address
         */
        public Builder cluster(String... seedNodes) {
            return mode(Mode.CLUSTER).clusterNodes(List.of(seedNodes));
        }

        /** The cluster's seed nodes ({@code host:port} each), for {@code cluster} mode. */
        public Builder clusterNodes(List<String> seedNodes) {
            this.clusterNodes = seedNodes.stream().map(node -> Endpoint.parse(node, "clusterNodes")).toList();
            return this;
        }

        /**
         * Redis Sentinel: the primary the sentinels know as {@code masterName}, followed through failovers. Sets the
         * mode to {@code sentinel}; the data connections use the username, password, database and TLS settings.
         *
         * @throws InvalidSettingException {@code sentinels}, for a malformed address
         */
        public Builder sentinel(String masterName, String... sentinels) {
            return mode(Mode.SENTINEL).sentinelMasterName(masterName).sentinels(List.of(sentinels));
        }

        /** The sentinels ({@code host:port} each), for {@code sentinel} mode. */
        public Builder sentinels(List<String> sentinels) {
            this.sentinels = sentinels.stream().map(node -> Endpoint.parse(node, "sentinels")).toList();
            return this;
        }

        /** The master name the sentinels monitor, for {@code sentinel} mode. */
        public Builder sentinelMasterName(String masterName) {
            this.sentinelMasterName = Optional.of(masterName);
            return this;
        }

        /** The ACL user authsession authenticates to the sentinels with (not to the data nodes). */
        public Builder sentinelUsername(String username) {
            this.sentinelUsername = Optional.of(username);
            return this;
        }

        /** The sentinels' password (of {@link #sentinelUsername}, or of their default user). */
        public Builder sentinelPassword(String password) {
            this.sentinelPassword = Optional.of(password);
            return this;
        }

        /**
         * Durable revocations: after every revocation, revoke-all, session creation and projection publication,
         * wait ({@code WAIT}) until this many replicas hold the write, and fail as unavailable when they do not
         * within {@link #replicaAckTimeout}. 0 (the default) does not wait.
         */
        public Builder minReplicasAck(int replicas) {
            this.minReplicasAck = replicas;
            return this;
        }

        /** How long a durable write waits for its replicas (default 500 ms); shorter than the socket timeout. */
        public Builder replicaAckTimeout(Duration timeout) {
            this.replicaAckTimeout = timeout;
            return this;
        }

        public RedisSettings build() {
            return new RedisSettings(host, port, username, password, database, tls, connectTimeout, socketTimeout,
                    poolSize, poolMaxWait, keyPrefix, gatewaySessionKeyPrefix, gatewayEventsStream,
                    gatewayEventsMaxLength, mode, clusterNodes, sentinels, sentinelMasterName, sentinelUsername,
                    sentinelPassword, minReplicasAck, replicaAckTimeout);
        }
    }
}
