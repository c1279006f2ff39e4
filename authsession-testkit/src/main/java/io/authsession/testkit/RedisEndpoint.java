package io.authsession.testkit;

import java.util.Objects;

/**
 * The address of one Redis process of a test topology: a cluster node, a Sentinel-monitored data node or a
 * sentinel.
 *
 * @param host a host name or IP address, never blank
 * @param port between 1 and 65535
 */
public record RedisEndpoint(String host, int port) {
    public RedisEndpoint {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
        }
    }

    /**
     * Parses {@code host:port} ({@code [::1]:port} for an IPv6 address).
     *
     * @throws IllegalArgumentException when there is no port
     */
    public static RedisEndpoint parse(String address) {
        Objects.requireNonNull(address, "address");
        String text = address.strip();
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("an address must look like host:port, got \"" + address + "\"");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new RedisEndpoint(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an address must end with a numeric port, got \"" + address + "\"", e);
        }
    }

    /** {@code host:port}, as Redis itself writes addresses. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
