package io.authsession.redis;

import io.authsession.core.error.InvalidSettingException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Redis and where authsession's keys live. Immutable; {@link #toString()} hides the password. An invalid
 * value is an {@link InvalidSettingException} naming the component or builder method ({@code port}, {@code poolMaxWait}).
 *
 * @param host Redis host
 * @param port Redis port
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
        long gatewayEventsMaxLength) {

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
        return builder;
    }

    @Override
    public String toString() {
        return "RedisSettings[address=" + host + ":" + port + ", username=" + username.orElse("-")
                + ", password=" + (password.isPresent() ? "***" : "-") + ", database=" + database + ", tls=" + tls
                + ", keyPrefix=" + keyPrefix + ", gatewaySessionKeyPrefix=" + gatewaySessionKeyPrefix
                + ", gatewayEventsStream=" + gatewayEventsStream + "]";
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

        private Builder() {}

        /**
         * Sets host and port from {@code host:port} ({@code [::1]:6379} for IPv6).
         *
         * @throws InvalidSettingException when the text is not of that form
         */
        public Builder address(String address) {
            Objects.requireNonNull(address, "address");
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                throw new InvalidSettingException("address", "'" + address + "' is not host:port");
            }
            String hostPart = address.substring(0, colon);
            if (hostPart.startsWith("[") && hostPart.endsWith("]")) {
                hostPart = hostPart.substring(1, hostPart.length() - 1);
            }
            int portPart;
            try {
                portPart = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new InvalidSettingException("address", "'" + address + "' has no numeric port", e);
            }
            this.host = hostPart;
            this.port = portPart;
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

        public RedisSettings build() {
            return new RedisSettings(host, port, username, password, database, tls, connectTimeout, socketTimeout,
                    poolSize, poolMaxWait, keyPrefix, gatewaySessionKeyPrefix, gatewayEventsStream,
                    gatewayEventsMaxLength);
        }
    }
}
