package io.authsession.server;

import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Routes by method and path template ({@code /api/v1/internal/users/{user_id}/sessions}). Path segments are
 * percent-decoded here, one by one, so that an id may contain an encoded slash. A known path with another method
 * is 405 with {@code Allow}; anything else is 404.
 */
final class Router {
    /** Handles a matched request; {@code params} are the decoded values of the template's {@code {...}} segments. */
    interface Route {
        void handle(HttpServerExchange exchange, List<String> params) throws Exception;
    }

    private record Entry(String method, String[] template, Route route) {}

    private final List<Entry> entries = new ArrayList<>();

    Router add(String method, String template, Route route) {
        entries.add(new Entry(method, split(template), route));
        return this;
    }

    void route(HttpServerExchange exchange) throws Exception {
        String[] rawSegments = split(exchange.getRequestPath());
        Set<String> allowed = new LinkedHashSet<>();
        for (Entry entry : entries) {
            List<String> params = new ArrayList<>();
            if (entry.template.length != rawSegments.length || !matches(entry.template, rawSegments, params)) {
                continue;
            }
            if (entry.method.equals(exchange.getRequestMethod().toString())) {
                entry.route.handle(exchange, params);
                return;
            }
            allowed.add(entry.method);
        }
        if (!allowed.isEmpty()) {
            throw HttpError.methodNotAllowed(String.join(", ", allowed));
        }
        throw HttpError.notFound();
    }

    private static boolean matches(String[] template, String[] segments, List<String> params) {
        for (int i = 0; i < template.length; i++) {
            if (template[i].startsWith("{")) {
                params.add(Requests.decodeComponent(segments[i]));
            } else if (!template[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    /** {@code /a/b/} is {@code ["a", "b", ""]}: a trailing slash is a different path. */
    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.split("/", -1);
    }
}
