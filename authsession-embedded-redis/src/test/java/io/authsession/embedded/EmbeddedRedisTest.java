package io.authsession.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EmbeddedRedisTest {
    private final Deque<EmbeddedRedis> started = new ArrayDeque<>();

    @AfterEach
    void stopAll() {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }

    private EmbeddedRedis start(EmbeddedRedis.Builder builder) {
        EmbeddedRedis redis = builder.start();
        started.push(redis);
        return redis;
    }

    @Test
    void start_answersOnLoopbackWithItsOwnPid() {
        EmbeddedRedis redis = start(EmbeddedRedis.builder());

        try (RespClient client = RespClient.connect("127.0.0.1", redis.port(), Duration.ofSeconds(5))) {
            assertThat(client.call("PING")).isEqualTo("PONG");
            Map<String, String> server = client.info("server");
            assertThat(server).containsEntry("process_id", Long.toString(redis.pid()))
                    .containsEntry("tcp_port", Integer.toString(redis.port()))
                    .containsEntry("redis_mode", "standalone");
            assertThat(client.call("CONFIG", "GET", "bind")).isEqualTo(List.of("bind", "127.0.0.1"));
            assertThat(client.call("CONFIG", "GET", "save")).isEqualTo(List.of("save", ""));
            assertThat(client.call("CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "no"));
        }
        assertThat(redis.address()).isEqualTo("127.0.0.1:" + redis.port());
        assertThat(redis.isRunning()).isTrue();
    }

    @Test
    void settings_reachTheServer() {
        EmbeddedRedis redis = start(EmbeddedRedis.builder()
                .maxMemory("10mb")
                .maxMemoryPolicy("allkeys-lru")
                .setting("notify-keyspace-events", "Ex"));

        try (RespClient client = redis.connect()) {
            assertThat(client.call("CONFIG", "GET", "maxmemory")).isEqualTo(List.of("maxmemory", "10485760"));
            assertThat(client.call("CONFIG", "GET", "maxmemory-policy"))
                    .isEqualTo(List.of("maxmemory-policy", "allkeys-lru"));
            assertThat(client.call("CONFIG", "GET", "notify-keyspace-events"))
                    .isEqualTo(List.of("notify-keyspace-events", "xE"));
        }
    }

    @Test
    void password_isRequiredAndSurvivesQuoting() {
        String password = "with spaces, \"quotes\" and \\ a backslash";
        EmbeddedRedis redis = start(EmbeddedRedis.builder().password(password));

        try (RespClient anonymous = RespClient.connect(redis.host(), redis.port(), Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> anonymous.call("PING"))
                    .isInstanceOfSatisfying(RespException.class, e -> assertThat(e.kind()).isEqualTo("NOAUTH"));
        }
        try (RespClient client = redis.connect()) {
            assertThat(client.call("PING")).isEqualTo("PONG");
        }
        assertThat(redis.password()).contains(password);
    }

    @Test
    void user_isAnAclUserWithItsRules() {
        EmbeddedRedis redis = start(EmbeddedRedis.builder().user("app", "app-secret", "~app:*", "+@all"));

        try (RespClient client = RespClient.connect(redis.host(), redis.port(), Duration.ofSeconds(5))) {
            client.auth("app", "app-secret");
            assertThat(client.call("SET", "app:one", "1")).isEqualTo("OK");
            assertThatThrownBy(() -> client.call("SET", "other:one", "1"))
                    .isInstanceOfSatisfying(RespException.class, e -> assertThat(e.kind()).isEqualTo("NOPERM"));
        }
    }

    @Test
    void close_endsTheProcessAndRemovesItsDirectory() {
        EmbeddedRedis redis = EmbeddedRedis.builder().start();
        long pid = redis.pid();
        assertThat(Files.exists(redis.workingDirectory().resolve("redis.conf"))).isTrue();

        redis.close();
        redis.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(redis.workingDirectory()).doesNotExist();
        assertThat(redis.isRunning()).isFalse();
        assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void kill_endsAtOnceAndRestartComesBackOnTheSamePort() {
        EmbeddedRedis redis = start(EmbeddedRedis.builder());
        long firstPid = redis.pid();

        redis.kill();

        assertThat(redis.isRunning()).isFalse();
        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThatThrownBy(() -> RespClient.connect(redis.host(), redis.port(), Duration.ofSeconds(1)))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(redis.workingDirectory()).exists();

        redis.restart();

        assertThat(redis.pid()).isNotEqualTo(firstPid);
        try (RespClient client = redis.connect()) {
            assertThat(client.info("server")).containsEntry("process_id", Long.toString(redis.pid()))
                    .containsEntry("tcp_port", Integer.toString(redis.port()));
        }
    }

    @Test
    void restart_ofARunningServerReplacesItsProcess() {
        EmbeddedRedis redis = start(EmbeddedRedis.builder());
        long firstPid = redis.pid();

        redis.restart();

        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
        try (RespClient client = redis.connect()) {
            assertThat(client.info("server")).containsEntry("process_id", Long.toString(redis.pid()));
        }
    }

    @Test
    void pause_silencesTheServerUntilResumed() {
        EmbeddedRedis redis = start(EmbeddedRedis.builder());

        redis.pause();

        assertThat(redis.isPaused()).isTrue();
        try (RespClient client = RespClient.connect(redis.host(), redis.port(), Duration.ofMillis(300))) {
            assertThatThrownBy(() -> client.call("PING")).isInstanceOf(UncheckedIOException.class);
        }

        redis.resume();

        assertThat(redis.isPaused()).isFalse();
        try (RespClient client = redis.connect()) {
            assertThat(client.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void close_ofAPausedServerStillEndsIt() {
        EmbeddedRedis redis = EmbeddedRedis.builder().start();
        long pid = redis.pid();
        redis.pause();

        redis.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(redis.workingDirectory()).doesNotExist();
    }

    @Test
    void replicaOf_replicatesThePrimary() throws InterruptedException {
        EmbeddedRedis primary = start(EmbeddedRedis.builder().password("shared"));
        EmbeddedRedis replica = start(EmbeddedRedis.builder().password("shared")
                .replicaOf(primary.host(), primary.port()));

        try (RespClient toPrimary = primary.connect(); RespClient toReplica = replica.connect()) {
            awaitLinkUp(toReplica);
            toPrimary.call("SET", "replicated", "yes");
            assertThat(toPrimary.call("WAIT", "1", "5000")).isEqualTo(1L);
            assertThat(toReplica.call("GET", "replicated")).isEqualTo("yes");
        }
    }

    private static void awaitLinkUp(RespClient replica) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"up".equals(replica.info("replication").get("master_link_status"))) {
            assertThat(System.nanoTime()).as("replica link up within 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void cluster_startsAClusterNodeWithAFreeBusPort() {
        EmbeddedRedis node = start(EmbeddedRedis.builder().cluster(Duration.ofMillis(1500)));

        try (RespClient client = node.connect()) {
            assertThat(client.info("cluster")).containsEntry("cluster_enabled", "1");
            assertThat(client.call("CONFIG", "GET", "cluster-node-timeout"))
                    .isEqualTo(List.of("cluster-node-timeout", "1500"));
            assertThat(client.callString("CLUSTER", "MYID")).hasSize(40);
        }
        assertThat(node.port() + 10_000).isLessThanOrEqualTo(65_535);
        assertThat(node.workingDirectory().resolve("nodes.conf")).exists();
    }

    @Test
    void sentinel_monitorsTheGivenPrimary() {
        EmbeddedRedis primary = start(EmbeddedRedis.builder());
        EmbeddedRedis sentinel = start(EmbeddedRedis.builder().sentinel()
                .sentinelMonitor("main", primary.host(), primary.port(), 1)
                .setting("sentinel", "down-after-milliseconds", "main", "500"));

        try (RespClient client = sentinel.connect()) {
            assertThat(client.info("server")).containsEntry("redis_mode", "sentinel");
            assertThat(client.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "main"))
                    .isEqualTo(List.of("127.0.0.1", Integer.toString(primary.port())));
        }
    }

    @Test
    void start_triesAnotherPortWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int free = EmbeddedRedis.freePort(false);
            Deque<Integer> ports = new ArrayDeque<>(List.of(taken.getLocalPort(), free));
            long directoriesBefore = countWorkingDirectories();

            EmbeddedRedis redis = start(EmbeddedRedis.builder().ports(ports::pop));

            assertThat(redis.port()).isEqualTo(free);
            assertThat(countWorkingDirectories()).as("the failed attempt's directory is gone")
                    .isEqualTo(directoriesBefore + 1);
        }
    }

    /** Directories of this JVM only: other JVMs may share the cache directory. */
    private static long countWorkingDirectories() throws Exception {
        String owner = "owner_pid=" + ProcessHandle.current().pid();
        try (var entries = Files.list(Launcher.shared().registry().processesDirectory())) {
            return entries.filter(directory -> {
                try {
                    return Files.readAllLines(directory.resolve(ProcessRegistry.OWNER_FILE)).contains(owner);
                } catch (java.io.IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void start_reportsTheServersComplaintWhenItExits() {
        assertThatThrownBy(() -> EmbeddedRedis.builder().maxMemoryPolicy("sometimes").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with status 1")
                .hasMessageContaining("maxmemory-policy");
    }

    @Test
    void setting_refusesWhatTheLauncherOwns() {
        assertThatThrownBy(() -> EmbeddedRedis.builder().setting("port", "6379"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port is set by the launcher");
        assertThatThrownBy(() -> EmbeddedRedis.builder().setting("two words"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedRedis.builder().sentinel().cluster(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class);
    }
}
