package io.authsession.embedded;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A minimal blocking Redis client (RESP2) for administration and test probes: one connection, one command at a
 * time, no pooling, no redirects, no retry.
 *
 * <p>It exists so that the launcher and the test topologies can say {@code PING}, {@code INFO}, {@code CLUSTER ...}
 * or {@code SENTINEL ...} without a Redis client library (the testkit must not depend on Jedis). Replies map to
 * Java as: simple string and bulk string to {@link String} (UTF-8), integer to {@link Long}, array to an unmodifiable
 * {@link List} of those, null bulk or null array to {@code null}. An error reply is thrown as a
 * {@link RespException}; inside an array (the results of {@code EXEC}) it is returned as a {@code RespException}
 * element instead. An I/O failure or a timeout is thrown as {@link UncheckedIOException} and closes the client,
 * because the connection may then be half-way through a reply. Not thread-safe.
 */
public final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    /**
     * Connects to {@code host:port}; {@code timeout} bounds the connection and each reply.
     *
     * @throws UncheckedIOException when the server cannot be reached in time
     */
    public static RespClient connect(String host, int port, Duration timeout) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
        if (port <= 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
        }
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(millis);
            socket.connect(new InetSocketAddress(host, port), millis);
            return new RespClient(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("could not connect to " + host + ":" + port, e);
        }
    }

    /**
     * Sends one command and returns its reply.
     *
     * @throws RespException when Redis answers with an error
     * @throws UncheckedIOException when the connection fails or the reply does not come in time (the client is then
     *     closed)
     */
    public Object call(String... command) {
        Objects.requireNonNull(command, "command");
        if (command.length == 0) {
            throw new IllegalArgumentException("a command needs at least its name");
        }
        try {
            write(command);
            Object reply = read();
            if (reply instanceof RespException error) {
                throw new RespException(error.getMessage());
            }
            return reply;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(command[0] + " to " + socket.getRemoteSocketAddress() + " failed", e);
        }
    }

    /** Sends a command whose reply is a string (simple or bulk) and returns it; {@code null} for a null reply. */
    public String callString(String... command) {
        Object reply = call(command);
        if (reply == null || reply instanceof String) {
            return (String) reply;
        }
        throw new IllegalStateException(command[0] + " answered " + reply + ", not a string");
    }

    /** {@code AUTH}: as the default user with {@code password}, or as {@code user} when it is not {@code null}. */
    public void auth(String user, String password) {
        Objects.requireNonNull(password, "password");
        if (user == null) {
            call("AUTH", password);
        } else {
            call("AUTH", user, password);
        }
    }

    /** {@code INFO section} as field to value, without the {@code # Section} headers. */
    public Map<String, String> info(String section) {
        Objects.requireNonNull(section, "section");
        return parseInfo(callString("INFO", section));
    }

    /** Parses the text of an {@code INFO} or {@code CLUSTER INFO} reply ({@code field:value} lines). */
    public static Map<String, String> parseInfo(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (text == null) {
            return fields;
        }
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    /** Closes the connection; calling it again does nothing. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    private void write(String[] command) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
        buffer.write(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String argument : command) {
            byte[] bytes = Objects.requireNonNull(argument, "command argument").getBytes(StandardCharsets.UTF_8);
            buffer.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buffer.write(bytes);
            buffer.write('\r');
            buffer.write('\n');
        }
        buffer.writeTo(out);
        out.flush();
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the server closed the connection");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new RespException(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length);
                if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("a bulk reply ended early");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                return Collections.unmodifiableList(items);
            }
            default:
                throw new IOException("not a RESP2 reply (type byte " + type + ")");
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(32);
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection in the middle of a reply");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
