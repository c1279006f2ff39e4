package io.authsession.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HttpConnectionTest {

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @DisplayName("reads sized and chunked answers on one kept-alive socket, and reconnects after Connection: close")
    void keepAlive() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        List<String> answers = List.of(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"b c\"}",
                "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"e\"\r\n3\r\n:1}\r\n0\r\n\r\n",
                "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        List<Integer> connections = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> serve(server, answers, requests, connections), "fake-http");
            serving.setDaemon(true);
            serving.start();
            try (HttpConnection client = new HttpConnection("127.0.0.1", server.getLocalPort(), "Bearer t")) {
                assertThat(client.post("/send", "{\"email\":\"x\"}")).isEqualTo(new HttpConnection.Response(200, "{\"a\":\"b c\"}"));
                assertThat(client.post("/send", "{")).isEqualTo(new HttpConnection.Response(400, "{\"e\":1}"));
                assertThat(client.get("/list")).isEqualTo(new HttpConnection.Response(503, "{}"));
                assertThat(client.get("/list").status()).isEqualTo(200);
            }
            serving.join(5_000);
        }
        assertThat(connections).containsExactly(3, 1);
        assertThat(requests.get(0)).startsWith("POST /send HTTP/1.1\r\n").contains("Authorization: Bearer t\r\n")
                .contains("Content-Length: 13\r\n").endsWith("\r\n\r\n{\"email\":\"x\"}");
        assertThat(requests.get(2)).startsWith("GET /list HTTP/1.1\r\n").doesNotContain("Content-Length");
    }

    /** Answers in order; each connection serves until an answer that closes it. */
    private static void serve(ServerSocket server, List<String> answers, List<String> requests, List<Integer> perConnection) {
        int next = 0;
        try {
            while (next < answers.size()) {
                int served = 0;
                try (Socket socket = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                    OutputStream out = socket.getOutputStream();
                    while (next < answers.size()) {
                        StringBuilder request = new StringBuilder();
                        int length = 0;
                        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                            request.append(line).append("\r\n");
                            if (line.startsWith("Content-Length: ")) {
                                length = Integer.parseInt(line.substring(16));
                            }
                        }
                        request.append("\r\n");
                        char[] body = new char[length];
                        for (int read = 0; read < length; ) {
                            read += in.read(body, read, length - read);
                        }
                        requests.add(request.append(body).toString());
                        String answer = answers.get(next++);
                        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        served++;
                        if (answer.contains("Connection: close")) {
                            break;
                        }
                    }
                }
                perConnection.add(served);
            }
        } catch (Exception e) {
            requests.add("server failed: " + e);
        }
    }
}
