package io.authsession.server;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A listener address as configured: {@code host:port}, or {@code :port} for all interfaces. Port 0 picks a free one.
 *
 * @param host the interface to bind, {@code 0.0.0.0} for all
 * @param port 0 to 65535
 */
record ListenAddress(String host, int port) {
    static final String ALL_INTERFACES = "0.0.0.0";

    ListenAddress {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
    }

    /**
     * Parses {@code host:port}, {@code :port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static ListenAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "' is not host:port or :port");
        }
        String host = text.substring(0, colon).strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String portText = text.substring(colon + 1).strip();
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric port");
        }
        return new ListenAddress(host.isEmpty() ? ALL_INTERFACES : host, port);
    }

    /**
     * How a bound socket address is written in logs: {@code 0.0.0.0:8080}. A wildcard bind is written as configured
     * ({@code 0.0.0.0}), although a dual-stack JVM reports it as {@code ::}.
     */
    String describe(InetSocketAddress bound) {
        if (bound.getAddress() == null || bound.getAddress().isAnyLocalAddress()) {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
        }
        String boundHost = bound.getAddress().getHostAddress();
        return (boundHost.contains(":") ? "[" + boundHost + "]" : boundHost) + ":" + bound.getPort();
    }
}
