package io.authsession.server;

import com.google.gson.JsonObject;
import io.authsession.core.error.AuthSessionException;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Routes by method and path template ({@code /api/v1/internal/users/{user_id}/sessions}). The path is taken raw, as
 * the client sent it, split on {@code /} only, and each parameter segment is percent-decoded whole: a {@code ;} is
 * part of the value (Undertow would cut a segment at {@code ;} as a path parameter), and an encoded slash stays in
 * its segment. A known path with another method is 405 with {@code Allow}; anything else is 404.
 *
 * <p>A route works in two steps: {@link Route#prepare} runs on the IO thread and may not block (it reads the body
 * already in memory, checks everything a request can get wrong, and throws for a 4xx), and the {@link Work} it
 * returns runs on a worker thread, where it may wait on Redis and the outbound services.
 */
final class Router {
    /** Path parameters: URL-decoded, 1 to 128 characters, no control characters (CONTRACT §3). */
    static final int MAX_PARAMETER_LENGTH = 128;

    /** Checks a matched request without blocking; returns the blocking work, or throws for an error answer. */
    interface Route {
        Work prepare(Request request);
    }

    /** The blocking part of a request, run on a worker thread; it writes the answer. */
    interface Work {
        void run(HttpServerExchange exchange) throws Exception;
    }

    /**
     * Work whose answer comes later: {@link #start} runs on a worker thread and returns the answer to come, which the
     * handler writes on the exchange's IO thread when it completes, holding no worker meanwhile (a send waiting for
     * its answer time).
     */
    interface LaterWork extends Work {
        CompletionStage<Answer> start(HttpServerExchange exchange) throws Exception;

        @Override
        default void run(HttpServerExchange exchange) throws Exception {
            start(exchange).toCompletableFuture().join().write(exchange);
        }
    }

    /** A successful answer to write: its status and JSON body. */
    record Answer(int status, String json) {
        void write(HttpServerExchange exchange) {
            Responses.json(exchange, status, json);
        }
    }

    /**
     * A matched request.
     *
     * @param params the decoded values of the template's {@code {...}} segments, in order
     * @param body the request body as read (empty when there is none)
     */
    record Request(HttpServerExchange exchange, List<String> params, byte[] body) {
        String param(int index) {
            return params.get(index);
        }

        Map<String, String> query() {
            return Requests.query(exchange);
        }

        Optional<JsonObject> optionalObject() {
            return Requests.optionalObject(body);
        }

        JsonObject requiredObject() {
            return Requests.requiredObject(body);
        }
    }

    /**
     * A route found for a request.
     *
     * @param template the path template, safe to log: it holds no id
     * @param names the template's parameter names, in order
     */
    record Match(String method, String template, List<String> names, List<String> params, Route route) {}

    private record Entry(String method, String template, String[] segments, List<String> names, Route route) {}

    private final List<Entry> entries = new ArrayList<>();

    Router add(String method, String template, Route route) {
        String[] segments = split(template);
        List<String> names = new ArrayList<>();
        for (String segment : segments) {
            if (segment.startsWith("{")) {
                names.add(segment.substring(1, segment.length() - 1));
            }
        }
        entries.add(new Entry(method, template, segments, List.copyOf(names), route));
        return this;
    }

    /**
     * The route of a request, with its parameters decoded and checked.
     *
     * @throws HttpError 404 or 405
     * @throws AuthSessionException {@code invalid_request} for a target that is not valid, or a parameter that
     *     breaks the rules
     */
    Match match(HttpServerExchange exchange) {
        String path = rawPath(exchange);
        checkTarget("path", path, false);
        checkTarget("query", exchange.getQueryString(), true);
        String[] raw = split(path);
        Set<String> allowed = new LinkedHashSet<>();
        Entry found = null;
        for (Entry entry : entries) {
            if (!matches(entry.segments, raw)) {
                continue;
            }
            if (entry.method.equals(exchange.getRequestMethod().toString())) {
                found = entry;
                break;
            }
            allowed.add(entry.method);
        }
        if (found == null) {
            if (!allowed.isEmpty()) {
                throw HttpError.methodNotAllowed(String.join(", ", allowed));
            }
            throw HttpError.notFound();
        }
        List<String> params = new ArrayList<>();
        for (int i = 0; i < found.segments.length; i++) {
            if (found.segments[i].startsWith("{")) {
                String name = found.names.get(params.size());
                params.add(checkParameter(name, Requests.decodeComponent(name, raw[i])));
            }
        }
        return new Match(found.method, found.template, found.names, List.copyOf(params), found.route);
    }

    /** The template of the path, for the access log of a request that did not match a method; empty when none. */
    Optional<String> templateOf(HttpServerExchange exchange) {
        String[] raw = split(rawPath(exchange));
        return entries.stream().filter(entry -> matches(entry.segments, raw)).map(Entry::template).findFirst();
    }

    private static boolean matches(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            if (!template[i].startsWith("{") && !template[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    private static String checkParameter(String name, String value) {
        if (value.isEmpty()) {
            throw AuthSessionException.invalidRequest(name, "is required");
        }
        if (value.length() > MAX_PARAMETER_LENGTH) {
            throw AuthSessionException.invalidRequest(name, "must be at most " + MAX_PARAMETER_LENGTH + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw AuthSessionException.invalidRequest(name, "must not contain control characters");
        }
        return value;
    }

    /**
     * The path exactly as the client sent it, with {@code ;} and escapes intact. Undertow's own request path has
     * path parameters cut off; its request URI keeps them (and, for an absolute-form target, the scheme and host).
     */
    static String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) {
            int scheme = uri.indexOf("://");
            int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
            return slash < 0 ? "/" : uri.substring(slash);
        }
        return uri;
    }

    /**
     * Refuses characters RFC 3986 does not allow unencoded in a path or query: Undertow is told to let them through
     * (raw non-ASCII bytes, controls, quotes) so that the answer is this envelope rather than its bare 400.
     */
    private static void checkTarget(String part, String text, boolean query) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~!$&'()*+,;=:@/%".indexOf(c) >= 0 || query && c == '?';
            if (!ok) {
                throw AuthSessionException.invalidRequest(part, "must be ASCII, with other characters"
                        + " percent-encoded (RFC 3986)");
            }
        }
    }

    /** {@code /a/b/} is {@code ["a", "b", ""]}: a trailing slash is a different path. */
    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.split("/", -1);
    }
}
