package io.authsession.server;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code docs/openapi.yaml} as a check on real exchanges: {@link TestServer} hands every request it sends, with the
 * answer it got, to {@link #check}, and an exchange the document does not describe fails the test with the
 * validator's findings. So the document cannot drift from the server without a red build.
 *
 * <p>swagger-request-validator checks path, method, parameters, bodies, statuses, headers and content types. On top:
 *
 * <ul>
 *   <li>A request the document refuses may be answered with an error (the negative tests send those), never with a
 *       success: that would make the document stricter than the server.
 *   <li>A path or a method the document does not list for the listener gets only the answers its description
 *       promises for those: {@code 404 not_found} for a path, {@code 405 method_not_allowed} with {@code Allow} for
 *       another method on a listed path, and on any of them {@code 400} (a path that does not decode),
 *       {@code 401} (internal listener) and {@code 503} (shutting down).
 *   <li>Each listener serves the paths whose {@code servers} entry names its port (8080 public, 8081 internal).
 *   <li>Every request body is checked as JSON, whatever its {@code Content-Type}: the server reads it so.
 * </ul>
 *
 * <p>The document is OpenAPI 3.1 written in the part that is also 3.0, because the validator (2.x, the last line that
 * runs on Java 17) validates with JSON Schema Draft 4. Loading checks both: it must parse as 3.1 without a message,
 * and the same text with the version 3.0.3 must parse without a message too; the validator reads the latter.
 */
final class OpenApiContract {
    static final Path DOCUMENT = Path.of("..", "docs", "openapi.yaml");
    private static final String NAME = "docs/openapi.yaml";
    private static final Pattern VERSION_LINE = Pattern.compile("(?m)^openapi: (3\\.1\\.\\d+)$");
    private static final String UNLISTED_PATH = "/unlisted-path";
    private static final String UNLISTED_METHOD = "/listed-path-other-method";
    private static final int MAX_BODY_SHOWN = 600;

    private static OpenApiContract shared;

    /** The two listeners, each with the port its paths name in {@code servers}. */
    enum Listener {
        PUBLIC(8080),
        INTERNAL(8081);

        final int documentedPort;

        Listener(int documentedPort) {
            this.documentedPort = documentedPort;
        }
    }

    private final Map<Listener, OpenApiInteractionValidator> listed = new EnumMap<>(Listener.class);
    private final Map<Listener, OpenApiInteractionValidator> unlisted = new EnumMap<>(Listener.class);
    private final Map<Listener, List<String>> operations = new EnumMap<>(Listener.class);

    private OpenApiContract(String document) {
        Matcher version = VERSION_LINE.matcher(document);
        if (!version.find()) {
            throw new IllegalStateException(NAME + " must start its own line with 'openapi: 3.1.x'");
        }
        SwaggerParseResult asWritten = parse(document);
        requireClean("as OpenAPI " + version.group(1), asWritten);
        if (asWritten.getOpenAPI().getSpecVersion() != SpecVersion.V31) {
            throw new IllegalStateException(NAME + " was not read as OpenAPI 3.1");
        }
        String asThreeZero = version.replaceFirst("openapi: 3.0.3");
        for (Listener listener : Listener.values()) {
            SwaggerParseResult forListener = parse(asThreeZero);
            requireClean("as OpenAPI 3.0.3 (the validator's reading; keep to the part of 3.1 that is also 3.0)",
                    forListener);
            OpenAPI api = onlyPathsOf(listener, forListener.getOpenAPI());
            operations.put(listener, operationsOf(api));
            listed.put(listener, OpenApiInteractionValidator.createFor(api).withStrictOperationPathMatching().build());
            OpenAPI fallback = unlistedAnswers(listener, asThreeZero);
            unlisted.put(listener, OpenApiInteractionValidator.createFor(fallback).withStrictOperationPathMatching()
                    .build());
        }
    }

    /** The document of this repository, loaded once per JVM. */
    static synchronized OpenApiContract shared() {
        if (shared == null) {
            try {
                shared = new OpenApiContract(Files.readString(DOCUMENT, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + DOCUMENT.toAbsolutePath().normalize(), e);
            }
        }
        return shared;
    }

    /** {@code "POST /api/v1/..."} for every operation the document lists on the listener. */
    List<String> operations(Listener listener) {
        return operations.get(listener);
    }

    /**
     * Fails with a readable message when the document does not describe the exchange. Requests to a port that is
     * neither listener are not checked.
     */
    void check(HttpRequest request, HttpResponse<String> response, int publicPort, int internalPort) {
        int port = request.uri().getPort();
        Listener listener = port == publicPort ? Listener.PUBLIC : port == internalPort ? Listener.INTERNAL : null;
        if (listener == null) {
            return;
        }
        Exchange exchange = new Exchange(request.method(), request.uri(), request.headers().map(), bodyOf(request),
                response.statusCode(), response.headers().map(), response.body());
        List<String> problems = problems(listener, exchange);
        if (!problems.isEmpty()) {
            throw new AssertionError(describe(listener, exchange, problems));
        }
    }

    /** One request and its answer, as sent and received. */
    record Exchange(String method, URI uri, Map<String, List<String>> requestHeaders, Optional<byte[]> requestBody,
            int status, Map<String, List<String>> responseHeaders, String responseBody) {

        /** A JSON exchange without headers of its own: for tests of the check itself. */
        static Exchange of(String method, String pathAndQuery, String requestBody, int status, String responseBody,
                Map<String, List<String>> responseHeaders) {
            return new Exchange(method, URI.create("http://127.0.0.1" + pathAndQuery), Map.of(),
                    Optional.ofNullable(requestBody).map(body -> body.getBytes(StandardCharsets.UTF_8)), status,
                    responseHeaders, responseBody);
        }
    }

    /** What the document says is wrong with the exchange on the listener; empty when it describes it. */
    List<String> problems(Listener listener, Exchange exchange) {
        ValidationReport report = listed.get(listener).validate(request(exchange, exchange.uri().getRawPath()),
                response(exchange));
        List<ValidationReport.Message> requestErrors = errors(report, "validation.request.", exchange);
        List<ValidationReport.Message> responseErrors = errors(report, "validation.response.", exchange);
        Optional<String> unlistedAs = requestErrors.stream().map(ValidationReport.Message::getKey)
                .map(key -> key.equals("validation.request.path.missing") ? UNLISTED_PATH
                        : key.equals("validation.request.operation.notAllowed") ? UNLISTED_METHOD : null)
                .filter(path -> path != null)
                .findFirst();
        List<String> problems = new ArrayList<>();
        if (unlistedAs.isPresent()) {
            ValidationReport fallback = unlisted.get(listener).validate(request(exchange, unlistedAs.get()),
                    response(exchange));
            List<ValidationReport.Message> wrong = errors(fallback, "validation.response.", exchange);
            if (!wrong.isEmpty()) {
                problems.add((unlistedAs.get().equals(UNLISTED_PATH)
                        ? "the path is not listed for this listener, so only the answers to unlisted paths are allowed"
                        + " (404 not_found, 400, 503" + (listener == Listener.INTERNAL ? ", 401" : "") + ")"
                        : "the path is listed with another method, so only 405 method_not_allowed with Allow is"
                        + " allowed (or 400, 503" + (listener == Listener.INTERNAL ? ", 401" : "") + ")") + ":");
                wrong.forEach(message -> problems.add(line(message)));
            }
            return problems;
        }
        responseErrors.forEach(message -> problems.add(line(message)));
        if (exchange.status() < 400 && !requestErrors.isEmpty()) {
            problems.add("the server accepted a request that the document refuses (the document is stricter than the"
                    + " server, or the server too lax):");
            requestErrors.forEach(message -> problems.add(line(message)));
        }
        return problems;
    }

    private static List<ValidationReport.Message> errors(ValidationReport report, String prefix, Exchange exchange) {
        return report.getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                .filter(message -> message.getKey().startsWith(prefix))
                // A HEAD answer has no body (HTTP says so), whatever the GET or POST answer would carry.
                .filter(message -> !(exchange.method().equals("HEAD")
                        && message.getKey().equals("validation.response.body.missing")))
                .toList();
    }

    private static String line(ValidationReport.Message message) {
        StringBuilder line = new StringBuilder("  - ").append(message.getKey()).append(": ").append(message.getMessage());
        for (ValidationReport.Message nested : message.getNestedMessages()) {
            line.append("\n      ").append(nested.getMessage());
        }
        return line.toString();
    }

    private static String describe(Listener listener, Exchange exchange, List<String> problems) {
        String body = exchange.responseBody() == null ? "" : exchange.responseBody();
        if (body.length() > MAX_BODY_SHOWN) {
            body = body.substring(0, MAX_BODY_SHOWN) + "...";
        }
        String requestBody = exchange.requestBody().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse("");
        if (requestBody.length() > MAX_BODY_SHOWN) {
            requestBody = requestBody.substring(0, MAX_BODY_SHOWN) + "...";
        }
        return NAME + " does not describe this exchange on the " + listener.name().toLowerCase(java.util.Locale.ROOT)
                + " listener:\n  " + exchange.method() + " " + exchange.uri().getRawPath()
                + (exchange.uri().getRawQuery() == null ? "" : "?" + exchange.uri().getRawQuery())
                + (requestBody.isEmpty() ? "" : " " + requestBody)
                + "\n  -> " + exchange.status() + " " + body + "\n" + String.join("\n", problems)
                + "\nFix the server or the document (and docs/api.md with it).";
    }

    private static Request request(Exchange exchange, String path) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(), path);
        exchange.requestHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                request.withHeader(name, values);
            }
        });
        // The server reads every body as JSON, whatever the request's Content-Type says or whether it has one
        // (docs/api.md), so the check does too: the validator skips the body of any other type.
        request.withContentType("application/json");
        exchange.requestBody().filter(body -> body.length > 0).ifPresent(request::withBody);
        queryParameters(exchange.uri().getRawQuery()).forEach(request::withQueryParam);
        return request.build();
    }

    private static SimpleResponse response(Exchange exchange) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.status());
        exchange.responseHeaders().forEach(response::withHeader);
        if (exchange.responseBody() != null && !exchange.responseBody().isEmpty()) {
            response.withBody(exchange.responseBody());
        }
        return response.build();
    }

    /** Decoded as the server decodes them ({@code +} is a space); an escape that does not decode stays as it is. */
    private static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = decode(equals < 0 ? "" : pair.substring(equals + 1));
            parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** The body the request sent, read again from its publisher (the JDK's publishers can be read more than once). */
    private static Optional<byte[]> bodyOf(HttpRequest request) {
        return request.bodyPublisher().map(publisher -> {
            CompletableFuture<byte[]> body = new CompletableFuture<>();
            publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
                private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    byte[] chunk = new byte[item.remaining()];
                    item.get(chunk);
                    bytes.write(chunk, 0, chunk.length);
                }

                @Override
                public void onError(Throwable throwable) {
                    body.completeExceptionally(throwable);
                }

                @Override
                public void onComplete() {
                    body.complete(bytes.toByteArray());
                }
            });
            try {
                return body.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the body of " + request.method() + " " + request.uri()
                        + " again to check it against " + NAME, e);
            }
        });
    }

    private static SwaggerParseResult parse(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        // The validator needs every $ref to a response or a request body resolved; the allOf of the error answers
        // must stay as written (merged, its two branches would lose the envelope's required fields).
        options.setResolveFully(true);
        options.setResolveCombinators(false);
        return new OpenAPIV3Parser().readContents(document, null, options);
    }

    private static void requireClean(String reading, SwaggerParseResult result) {
        if (result.getOpenAPI() == null || (result.getMessages() != null && !result.getMessages().isEmpty())) {
            throw new IllegalStateException(NAME + " does not parse cleanly " + reading + ": " + result.getMessages());
        }
    }

    private static OpenAPI onlyPathsOf(Listener listener, OpenAPI api) {
        Paths kept = new Paths();
        api.getPaths().forEach((path, item) -> {
            if (listenerOf(path, item) == listener) {
                kept.addPathItem(path, item);
            }
        });
        api.setPaths(kept);
        api.setServers(List.of(new Server().url("http://localhost:" + listener.documentedPort)));
        return api;
    }

    private static Listener listenerOf(String path, PathItem item) {
        List<Server> servers = item.getServers();
        if (servers == null || servers.size() != 1) {
            throw new IllegalStateException(NAME + ": path " + path + " must name its one listener in servers");
        }
        int port = URI.create(servers.get(0).getUrl()).getPort();
        for (Listener listener : Listener.values()) {
            if (listener.documentedPort == port) {
                return listener;
            }
        }
        throw new IllegalStateException(NAME + ": path " + path + " names neither listener (port 8080 or 8081)");
    }

    private static List<String> operationsOf(OpenAPI api) {
        List<String> operations = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> operations.add(method + " " + path)));
        return List.copyOf(operations);
    }

    /**
     * The document with its paths replaced by two that stand for every unlisted path and every unlisted method, and
     * answer what the document's description promises for those. Written into the text, so that the parser resolves
     * their references like every other.
     */
    private static OpenAPI unlistedAnswers(Listener listener, String document) {
        String common = "'400': {$ref: '#/components/responses/InvalidRequest'}, "
                + "'503': {$ref: '#/components/responses/ServiceUnavailable'}"
                + (listener == Listener.INTERNAL ? ", '401': {$ref: '#/components/responses/Unauthorized'}" : "");
        StringBuilder paths = new StringBuilder("paths:\n");
        for (String[] path : new String[][] {{UNLISTED_PATH, "'404': {$ref: '#/components/responses/NotFound'}"},
                {UNLISTED_METHOD, "'405': {$ref: '#/components/responses/MethodNotAllowed'}"}}) {
            paths.append("  ").append(path[0]).append(":\n");
            for (PathItem.HttpMethod method : PathItem.HttpMethod.values()) {
                paths.append("    ").append(method.name().toLowerCase(java.util.Locale.ROOT)).append(": {responses: {")
                        .append(common).append(", ").append(path[1]).append("}}\n");
            }
        }
        Matcher pathsLine = Pattern.compile("(?m)^paths:\n").matcher(document);
        if (!pathsLine.find()) {
            throw new IllegalStateException(NAME + " must have a line 'paths:'");
        }
        SwaggerParseResult result = parse(pathsLine.replaceFirst(Matcher.quoteReplacement(paths.toString())));
        requireClean("with the paths that stand for unlisted ones", result);
        OpenAPI api = result.getOpenAPI();
        Paths kept = new Paths();
        kept.addPathItem(UNLISTED_PATH, api.getPaths().get(UNLISTED_PATH));
        kept.addPathItem(UNLISTED_METHOD, api.getPaths().get(UNLISTED_METHOD));
        api.setPaths(kept);
        api.setServers(List.of(new Server().url("http://localhost:" + listener.documentedPort)));
        return api;
    }
}
