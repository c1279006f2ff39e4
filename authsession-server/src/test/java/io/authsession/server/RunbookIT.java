package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.embedded.RespClient;
import io.authsession.embedded.RespException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The runbook's smoke and triage recipes, run as an operator would run them against the packaged jar in
 * {@code --dev}, so that they cannot rot: every block of {@code docs/runbook.md} marked {@code <!-- runbook-test -->}
 * is executed line by line, with {@code curl}, {@code redis-cli}, {@code grep} and {@code head} played by this class
 * (the build provides neither tool), and each {@code # => text} comment must appear in its command's output. A command
 * this class cannot play fails the test, so a marked block stays within what it checks.
 *
 * <p>The data the recipes look at is made first, over the API: a confirmed login, a revoked session, a throttled
 * send and a challenge with a wrong code. A marker names which of them a block's placeholder assignment stands for
 * ({@code <!-- runbook-test CID=throttled -->} gives {@code CID='<challenge_id>'} that challenge's id).
 */
class RunbookIT {
    private static final Path JAR = Path.of("target", "authsession-server.jar");
    private static final Path RUNBOOK = Path.of("..", "docs", "runbook.md");
    private static final String TOKEN = "runbook-token-0123456789abcdef";
    private static final Pattern MARKER = Pattern.compile("<!-- runbook-test((?: [A-Z_]+=[a-z]+)*) -->\\s*\\n```sh\\n(.*?)\\n```",
            Pattern.DOTALL);
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)(?::(\\d+):(\\d+))?}|([A-Za-z_][A-Za-z0-9_]*))");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A marked block of the runbook: what its marker binds, and its lines. */
    record Block(Map<String, String> fixtures, String text) {}

    static List<Block> blocks(String runbook) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = MARKER.matcher(runbook);
        while (matcher.find()) {
            Map<String, String> fixtures = new LinkedHashMap<>();
            for (String binding : matcher.group(1).strip().split(" ")) {
                if (!binding.isEmpty()) {
                    String[] parts = binding.split("=");
                    fixtures.put(parts[0], parts[1]);
                }
            }
            blocks.add(new Block(fixtures, matcher.group(2)));
        }
        return blocks;
    }

    @Test
    @DisplayName("every marked smoke and triage recipe of the runbook runs against the packaged jar and shows what it says")
    void recipes() throws Exception {
        String runbook = Files.readString(RUNBOOK);
        List<Block> blocks = blocks(runbook);
        // The smoke pair, Redis out of band, and four triage recipes at least.
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(7);
        assertThat(runbook.split("<!-- runbook-test").length - 1).as("markers not followed by an sh block")
                .isEqualTo(blocks.size() + 1); // the one mention in the introduction

        Map<String, String> env = new HashMap<>(Map.of(
                "AUTHSESSION_PUBLIC_HTTP_ADDR", "127.0.0.1:0",
                "AUTHSESSION_INTERNAL_HTTP_ADDR", "127.0.0.1:0",
                "AUTHSESSION_INTERNAL_API_TOKEN", TOKEN,
                "AUTHSESSION_LOG_LEVEL", "debug",
                "AUTHSESSION_SHUTDOWN_TIMEOUT", "2s"));
        try (ServerProcess server = ServerProcess.fromJar(JAR, env, "--dev")) {
            int publicPort = server.listenerPort("public");
            int internalPort = server.listenerPort("internal");
            Matcher dev = Pattern.compile("event=dev_redis_started address=([^:\\s]+):(\\d+)")
                    .matcher(server.awaitLine("event=dev_redis_started", Duration.ofSeconds(5)));
            assertThat(dev.find()).isTrue();
            Scenario scenario = new Scenario(server, publicPort, internalPort);
            Map<String, String> fixtures = scenario.make();

            Map<String, String> globals = Map.of("PUBLIC", "127.0.0.1:" + publicPort,
                    "INTERNAL", "127.0.0.1:" + internalPort, "AUTHSESSION_INTERNAL_API_TOKEN", TOKEN);
            try (RespClient redis = RespClient.connect(dev.group(1), Integer.parseInt(dev.group(2)),
                    Duration.ofSeconds(5))) {
                for (Block block : blocks) {
                    Map<String, String> bindings = new HashMap<>(globals);
                    block.fixtures().forEach((name, fixture) -> {
                        assertThat(fixtures).as("fixtures").containsKey(fixture);
                        bindings.put(name, fixtures.get(fixture));
                    });
                    Shell shell = new Shell(bindings, redis, server);
                    int commands = shell.run(block.text());
                    assertThat(commands).as("commands run in block:\n%s", block.text()).isPositive();
                }
            }
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    @DisplayName("every event the runbook names is one the code logs")
    void eventsExist() throws IOException {
        String runbook = Files.readString(RUNBOOK);
        Set<String> named = new TreeSet<>();
        Matcher event = Pattern.compile("event=([a-z_]+)").matcher(runbook);
        while (event.find()) {
            named.add(event.group(1));
        }
        named.removeAll(Set.of("event")); // "event=…" in prose
        StringBuilder sources = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of(".."))) {
            for (Path file : files.filter(f -> f.toString().contains("src" + java.io.File.separator + "main")
                    && f.toString().endsWith(".java")).toList()) {
                sources.append(Files.readString(file));
            }
        }
        String code = sources.toString();
        assertThat(named).hasSizeGreaterThan(20).allSatisfy(name -> assertThat(
                code.contains("event=" + name + " ") || code.contains("event=" + name + "\"")
                        || name.endsWith("_retry") && code.contains("\"_retry call="))
                .as("event=%s is logged somewhere", name).isTrue());
    }

    /** The data the recipes look at, made over the API. */
    private final class Scenario {
        private final ServerProcess server;
        private final int publicPort;
        private final int internalPort;

        Scenario(ServerProcess server, int publicPort, int internalPort) {
            this.server = server;
            this.publicPort = publicPort;
            this.internalPort = internalPort;
        }

        Map<String, String> make() throws Exception {
            Map<String, String> fixtures = new HashMap<>();
            String confirmed = send("confirmed@example.com");
            confirm(confirmed, code(confirmed));
            fixtures.put("confirmed", confirmed);

            String revokedChallenge = send("revoked@example.com");
            String session = sessionOf(confirm(revokedChallenge, code(revokedChallenge)));
            HttpResponse<String> revoked = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + internalPort
                    + "/api/v1/internal/sessions/" + session + "/revoke")).header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(revoked.statusCode()).isEqualTo(200);
            fixtures.put("revoked", session);

            String throttled = send("revoked@example.com");
            server.awaitLine("challenge_id=" + throttled + " delivery=delivery_throttled", Duration.ofSeconds(10));
            fixtures.put("throttled", throttled);

            String guessed = send("guessed@example.com");
            String code = code(guessed);
            HttpResponse<String> wrong = confirmAnswer(guessed, code.equals("000000") ? "000001" : "000000");
            assertThat(wrong.statusCode()).isEqualTo(400);
            fixtures.put("guessed", guessed);
            return fixtures;
        }

        private String send(String email) throws Exception {
            HttpResponse<String> sent = post(publicPort, "/api/v1/public/auth/send-email-code",
                    "{\"email\":\"" + email + "\"}");
            assertThat(sent.statusCode()).isEqualTo(200);
            return TestServer.json(sent).get("challenge_id").getAsString();
        }

        private String code(String challengeId) throws InterruptedException {
            Matcher code = Pattern.compile("challenge_id=" + Pattern.quote(challengeId) + " code=(\\d{6})")
                    .matcher(server.awaitLine("challenge_id=" + challengeId + " code=", Duration.ofSeconds(10)));
            assertThat(code.find()).isTrue();
            return code.group(1);
        }

        private HttpResponse<String> confirmAnswer(String challengeId, String code) throws Exception {
            return post(publicPort, "/api/v1/public/auth/confirm-email-code",
                    "{\"challenge_id\":\"" + challengeId + "\",\"code\":\"" + code + "\"}");
        }

        private HttpResponse<String> confirm(String challengeId, String code) throws Exception {
            HttpResponse<String> confirmed = confirmAnswer(challengeId, code);
            assertThat(confirmed.statusCode()).isEqualTo(200);
            return confirmed;
        }

        private String sessionOf(HttpResponse<String> confirmed) {
            return TestServer.json(confirmed).get("device_session_id").getAsString();
        }

        private HttpResponse<String> post(int port, String path, String body) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * Plays the lines of one block: assignments ({@code NAME='value'}, {@code NAME=$(command)}), commands with
     * pipes, single and double quotes, {@code $NAME}, {@code ${NAME}} and {@code ${NAME:offset:length}}.
     */
    private final class Shell {
        private final Map<String, String> variables = new HashMap<>();
        private final Map<String, String> bound;
        private final RespClient redis;
        private final ServerProcess server;

        Shell(Map<String, String> bound, RespClient redis, ServerProcess server) {
            this.bound = bound;
            this.variables.putAll(bound);
            this.redis = redis;
            this.server = server;
        }

        int run(String text) throws Exception {
            int commands = 0;
            for (String raw : text.replace("\\\n", " ").split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int comment = commentStart(line);
                String expectation = null;
                if (comment >= 0) {
                    String note = line.substring(comment + 1).strip();
                    if (note.startsWith("=>")) {
                        expectation = note.substring(2).strip();
                    }
                    line = line.substring(0, comment).strip();
                }
                Matcher assignment = ASSIGNMENT.matcher(line);
                if (assignment.matches()) {
                    String name = assignment.group(1);
                    if (!bound.containsKey(name)) {
                        String value = assignment.group(2);
                        variables.put(name, value.startsWith("$(") && value.endsWith(")")
                                ? pipeline(value.substring(2, value.length() - 1)).strip()
                                : String.join(" ", words(value)));
                    }
                    continue;
                }
                String output = pipeline(line);
                commands++;
                if (expectation != null) {
                    assertThat(output).as("output of: %s", line).contains(expectation);
                }
            }
            return commands;
        }

        private String pipeline(String line) throws Exception {
            List<String> stages = splitOutsideQuotes(line, '|');
            String output = null;
            for (String stage : stages) {
                List<String> words = words(stage.strip());
                output = output == null ? source(words, line) : filter(words, output, line);
            }
            return output;
        }

        private String source(List<String> words, String line) throws Exception {
            return switch (words.get(0)) {
                case "curl" -> curl(words.subList(1, words.size()));
                case "redis-cli" -> redisCli(words.subList(1, words.size()), line);
                case "grep" -> {
                    assertThat(words.get(words.size() - 1)).as("grep reads the log: %s", line).isEqualTo("authsession.log");
                    yield filter(words.subList(0, words.size() - 1), String.join("\n", server.stdout()), line);
                }
                default -> throw new AssertionError("RunbookIT cannot play '" + words.get(0) + "' in: " + line);
            };
        }

        private String filter(List<String> words, String input, String line) {
            List<String> lines = input.isEmpty() ? List.of() : List.of(input.split("\n", -1));
            switch (words.get(0)) {
                case "head" -> {
                    int count = 10;
                    if (words.size() == 2 && words.get(1).matches("-\\d+")) {
                        count = Integer.parseInt(words.get(1).substring(1));
                    } else if (words.size() == 3 && words.get(1).equals("-n")) {
                        count = Integer.parseInt(words.get(2));
                    } else if (words.size() != 1) {
                        throw new AssertionError("RunbookIT plays head, head -N and head -n N, not: " + line);
                    }
                    return String.join("\n", lines.subList(0, Math.min(count, lines.size())));
                }
                case "grep" -> {
                    int after = 0;
                    int next = 1;
                    if (words.get(1).startsWith("-A")) {
                        after = Integer.parseInt(words.get(1).length() > 2 ? words.get(1).substring(2) : words.get(2));
                        next = words.get(1).length() > 2 ? 2 : 3;
                    }
                    assertThat(words).as("grep [-A N] PATTERN: %s", line).hasSize(next + 1);
                    Pattern pattern = Pattern.compile(words.get(next));
                    List<String> kept = new ArrayList<>();
                    int until = -1;
                    for (int i = 0; i < lines.size(); i++) {
                        if (pattern.matcher(lines.get(i)).find()) {
                            until = i + after;
                        }
                        if (i <= until) {
                            kept.add(lines.get(i));
                        }
                    }
                    return String.join("\n", kept);
                }
                default -> throw new AssertionError("RunbookIT cannot play '" + words.get(0) + "' in: " + line);
            }
        }

        private String curl(List<String> args) throws Exception {
            String method = null;
            String body = null;
            String url = null;
            boolean include = false;
            HttpRequest.Builder request = HttpRequest.newBuilder();
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "-s" -> { }
                    case "-i" -> include = true;
                    case "-X" -> method = args.get(++i);
                    case "-d" -> body = args.get(++i);
                    case "-H" -> {
                        String[] header = args.get(++i).split(":\\s*", 2);
                        request.header(header[0], header[1]);
                    }
                    default -> {
                        assertThat(args.get(i)).as("curl option RunbookIT plays").doesNotStartWith("-");
                        url = args.get(i);
                    }
                }
            }
            String verb = method != null ? method : body != null ? "POST" : "GET";
            request.uri(URI.create(url)).method(verb, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (!include) {
                return answer.body();
            }
            StringBuilder text = new StringBuilder("HTTP/1.1 ").append(answer.statusCode()).append('\n');
            answer.headers().map().forEach((name, values) -> values.forEach(v -> text.append(name).append(": ")
                    .append(v).append('\n')));
            return text.append('\n').append(answer.body()).toString();
        }

        private String redisCli(List<String> args, String line) {
            List<String> command = new ArrayList<>();
            String scanPattern = null;
            boolean scan = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (command.isEmpty() && Set.of("-h", "-p", "-n", "--user", "--pass", "-a").contains(arg)) {
                    i++; // the connection is the dev Redis's
                } else if (command.isEmpty() && arg.equals("--tls")) {
                    continue;
                } else if (command.isEmpty() && arg.equals("--scan")) {
                    scan = true;
                } else if (scan && arg.equals("--pattern")) {
                    scanPattern = args.get(++i);
                } else if (command.isEmpty() && arg.startsWith("-")) {
                    throw new AssertionError("redis-cli option RunbookIT does not play (nor redis-cli 7.0 perhaps): "
                            + arg + " in: " + line);
                } else {
                    command.add(arg);
                }
            }
            try {
                if (scan) {
                    assertThat(command).as("--scan takes only --pattern here: %s", line).isEmpty();
                    List<String> keys = new ArrayList<>();
                    String cursor = "0";
                    do {
                        List<?> reply = (List<?>) redis.call("SCAN", cursor, "MATCH", scanPattern == null ? "*"
                                : scanPattern, "COUNT", "100");
                        cursor = (String) reply.get(0);
                        ((List<?>) reply.get(1)).forEach(key -> keys.add((String) key));
                    } while (!cursor.equals("0"));
                    return String.join("\n", keys);
                }
                List<String> out = new ArrayList<>();
                render(redis.call(command.toArray(String[]::new)), out);
                return String.join("\n", out);
            } catch (RespException e) {
                throw new AssertionError("redis-cli answered an error for: " + line + ": " + e.getMessage(), e);
            }
        }

        /** As redis-cli prints a reply when its output is not a terminal: one line per element, nil as nothing. */
        private void render(Object reply, List<String> out) {
            if (reply == null) {
                out.add("");
            } else if (reply instanceof List<?> list) {
                list.forEach(item -> render(item, out));
            } else {
                out.add(String.valueOf(reply).replace("\r\n", "\n").strip());
            }
        }

        /** Splits a command into words the way a shell does for these recipes: quotes, escapes and expansions. */
        private List<String> words(String text) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            boolean inWord = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\'') {
                    int end = text.indexOf('\'', i + 1);
                    word.append(text, i + 1, end);
                    i = end;
                    inWord = true;
                } else if (c == '"') {
                    int end = i + 1;
                    while (text.charAt(end) != '"') {
                        end += text.charAt(end) == '\\' ? 2 : 1;
                    }
                    word.append(expand(text.substring(i + 1, end).replace("\\\"", "\"")));
                    i = end;
                    inWord = true;
                } else if (Character.isWhitespace(c)) {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                } else if (c == '$') {
                    Matcher variable = VARIABLE.matcher(text).region(i, text.length());
                    if (!variable.lookingAt()) {
                        throw new AssertionError("RunbookIT cannot expand: " + text.substring(i));
                    }
                    word.append(expand(variable.group()));
                    i = variable.end() - 1;
                    inWord = true;
                } else {
                    word.append(c);
                    inWord = true;
                }
            }
            if (inWord) {
                words.add(word.toString());
            }
            return words;
        }

        private String expand(String text) {
            Matcher variable = VARIABLE.matcher(text);
            StringBuilder expanded = new StringBuilder();
            while (variable.find()) {
                String name = variable.group(1) != null ? variable.group(1) : variable.group(4);
                assertThat(variables).as("variables set before use").containsKey(name);
                String value = variables.get(name);
                if (variable.group(2) != null) {
                    int from = Math.min(value.length(), Integer.parseInt(variable.group(2)));
                    value = value.substring(from, Math.min(value.length(), from + Integer.parseInt(variable.group(3))));
                }
                variable.appendReplacement(expanded, Matcher.quoteReplacement(value));
            }
            variable.appendTail(expanded);
            return expanded.toString();
        }

        /** The index of a {@code #} that starts a comment (after a space, outside quotes), or -1. */
        private int commentStart(String line) {
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '#' && i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
                    return i;
                }
            }
            return -1;
        }

        private List<String> splitOutsideQuotes(String line, char separator) {
            List<String> parts = new ArrayList<>();
            char quote = 0;
            int depth = 0;
            int start = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == separator && depth == 0) {
                    parts.add(line.substring(start, i));
                    start = i + 1;
                }
            }
            parts.add(line.substring(start));
            return parts;
        }
    }
}
