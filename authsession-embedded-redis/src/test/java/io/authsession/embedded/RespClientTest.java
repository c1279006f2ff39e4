package io.authsession.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RespClientTest {
    private static EmbeddedRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void call_mapsEachReplyType() {
        try (RespClient client = redis.connect()) {
            assertThat(client.call("SET", "resp:counter", "41")).isEqualTo("OK");
            assertThat(client.call("INCR", "resp:counter")).isEqualTo(42L);
            assertThat(client.call("GET", "resp:absent")).isNull();
            client.call("DEL", "resp:list");
            client.call("RPUSH", "resp:list", "a", "b");
            assertThat(client.call("LRANGE", "resp:list", "0", "-1")).isEqualTo(List.of("a", "b"));
            assertThat(client.call("BLPOP", "resp:empty", "0.01")).isNull();
        }
    }

    @Test
    void call_isBinarySafeForUtf8AndLineBreaks() {
        String value = "línea uno\r\nline two \u2603 *3\r\n$-1";
        try (RespClient client = redis.connect()) {
            client.call("SET", "resp:text", value);
            assertThat(client.callString("GET", "resp:text")).isEqualTo(value);
        }
    }

    @Test
    void call_throwsAnErrorReplyAndStaysUsable() {
        try (RespClient client = redis.connect()) {
            client.call("SET", "resp:string", "x");
            assertThatThrownBy(() -> client.call("LPUSH", "resp:string", "y"))
                    .isInstanceOfSatisfying(RespException.class, e -> {
                        assertThat(e.kind()).isEqualTo("WRONGTYPE");
                        assertThat(e.getMessage()).startsWith("WRONGTYPE Operation against a key");
                    });
            assertThat(client.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void call_returnsErrorsInsideATransactionAsElements() {
        try (RespClient client = redis.connect()) {
            client.call("SET", "resp:tx", "x");
            client.call("MULTI");
            client.call("INCR", "resp:tx");
            client.call("SET", "resp:tx", "y");
            List<?> results = (List<?>) client.call("EXEC");
            assertThat(results).hasSize(2);
            assertThat(results.get(0)).isInstanceOf(RespException.class);
            assertThat(results.get(1)).isEqualTo("OK");
        }
    }

    @Test
    void info_parsesFieldsWithoutSectionHeaders() {
        try (RespClient client = redis.connect()) {
            assertThat(client.info("replication")).containsEntry("role", "master")
                    .doesNotContainKey("# Replication");
        }
        assertThat(RespClient.parseInfo("# Cluster\r\ncluster_state:ok\r\ncluster_slots_assigned:16384\r\n"))
                .containsExactly(java.util.Map.entry("cluster_state", "ok"),
                        java.util.Map.entry("cluster_slots_assigned", "16384"));
    }

    @Test
    void call_timesOutAndClosesTheConnection() {
        try (RespClient client = redis.connect(Duration.ofMillis(200))) {
            assertThatThrownBy(() -> client.call("BLPOP", "resp:never", "2"))
                    .isInstanceOf(UncheckedIOException.class);
            assertThatThrownBy(() -> client.call("PING")).isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void connect_failsFastWhereNothingListens() {
        int port = EmbeddedRedis.freePort(false);
        assertThatThrownBy(() -> RespClient.connect("127.0.0.1", port, Duration.ofSeconds(2)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void call_refusesAnEmptyCommand() {
        try (RespClient client = redis.connect()) {
            assertThatThrownBy(() -> client.call()).isInstanceOf(IllegalArgumentException.class);
            String[] withNull = Arrays.asList("GET", null).toArray(String[]::new);
            assertThatThrownBy(() -> client.call(withNull)).isInstanceOf(NullPointerException.class);
        }
    }
}
