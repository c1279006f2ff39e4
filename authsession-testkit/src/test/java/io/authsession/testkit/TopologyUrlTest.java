package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyUrlTest {
    @Test
    void parse_readsSeveralNodesAndCredentials() {
        TopologyUrl url = TopologyUrl.parse("VAR", " redis://app:s3cret@10.0.0.1:7000,redis-2:7001,[::1]:7002 ",
                "redis", false);

        assertThat(url.endpoints()).containsExactly(new RedisEndpoint("10.0.0.1", 7000),
                new RedisEndpoint("redis-2", 7001), new RedisEndpoint("::1", 7002));
        assertThat(url.user()).contains("app");
        assertThat(url.password()).contains("s3cret");
        assertThat(url.name()).isEmpty();
    }

    @Test
    void parse_readsTheMasterNameAndAPasswordWithoutUser() {
        TopologyUrl url = TopologyUrl.parse("VAR", "redis-sentinel://:pw@127.0.0.1:26379/mymaster", "redis-sentinel",
                true);

        assertThat(url.endpoints()).containsExactly(new RedisEndpoint("127.0.0.1", 26379));
        assertThat(url.user()).isEmpty();
        assertThat(url.password()).contains("pw");
        assertThat(url.name()).contains("mymaster");
    }

    @Test
    void parse_refusesWhatIsNotOfTheFormat() {
        assertThatThrownBy(() -> TopologyUrl.parse("AUTHSESSION_TEST_REDIS_CLUSTER_URL", "127.0.0.1:7000", "redis", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("AUTHSESSION_TEST_REDIS_CLUSTER_URL must look like redis://[user:password@]host:port"
                        + "[,host:port...], got 127.0.0.1:7000");
        assertThatThrownBy(() -> TopologyUrl.parse("VAR", "redis://a:1,b", "redis", false))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TopologyUrl.parse("VAR", "redis-sentinel://a:26379", "redis-sentinel", true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must name the master");
        assertThatThrownBy(() -> TopologyUrl.parse("VAR", "redis://a:1/x", "redis", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("takes no path");
    }

    @Test
    void endpoint_validatesAndPrintsAsRedisDoes() {
        assertThat(RedisEndpoint.parse("127.0.0.1:6379")).hasToString("127.0.0.1:6379");
        assertThat(new RedisEndpoint("::1", 6379)).hasToString("[::1]:6379");
        assertThatThrownBy(() -> new RedisEndpoint("h", 0)).hasMessage("port must be between 1 and 65535, got 0");
        assertThatThrownBy(() -> new RedisEndpoint(" ", 1)).hasMessage("host must not be blank");
        assertThatThrownBy(() -> RedisEndpoint.parse("host")).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(RedisEndpoint.parse("h:1"))).containsExactly(new RedisEndpoint("h", 1));
    }
}
