package io.authsession.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A topology variable's value: {@code scheme://[user:password@]host:port[,host:port...][/name]}.
 *
 * <p>{@link java.net.URI} cannot hold several hosts, hence a parser of its own.
 */
record TopologyUrl(Optional<String> userInfo, List<RedisEndpoint> endpoints, Optional<String> name) {
    static TopologyUrl parse(String variable, String value, String scheme, boolean needsName) {
        String format = scheme + "://[user:password@]host:port[,host:port...]" + (needsName ? "/<master-name>" : "");
        String text = value.strip();
        if (!text.startsWith(scheme + "://")) {
            throw new IllegalStateException(variable + " must look like " + format + ", got " + value);
        }
        String rest = text.substring(scheme.length() + 3);
        Optional<String> name = Optional.empty();
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
            if (!path.isEmpty()) {
                name = Optional.of(path);
            }
        }
        if (needsName && name.isEmpty()) {
            throw new IllegalStateException(variable + " must name the master: " + format + ", got " + value);
        }
        if (!needsName && name.isPresent()) {
            throw new IllegalStateException(variable + " takes no path: " + format + ", got " + value);
        }
        Optional<String> userInfo = Optional.empty();
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            userInfo = Optional.of(rest.substring(0, at));
            rest = rest.substring(at + 1);
        }
        List<RedisEndpoint> endpoints = new ArrayList<>();
        for (String address : rest.split(",")) {
            try {
                endpoints.add(RedisEndpoint.parse(address));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(variable + " must look like " + format + ", got " + value, e);
            }
        }
        return new TopologyUrl(userInfo, List.copyOf(endpoints), name);
    }

    /** The user of {@code user:password}, absent for {@code :password} or a bare password. */
    Optional<String> user() {
        return userInfo.filter(info -> info.indexOf(':') > 0).map(info -> info.substring(0, info.indexOf(':')));
    }

    /** The password of {@code user:password} or {@code :password}. */
    Optional<String> password() {
        return userInfo.map(info -> info.indexOf(':') >= 0 ? info.substring(info.indexOf(':') + 1) : info)
                .filter(password -> !password.isEmpty());
    }
}
