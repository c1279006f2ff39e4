package io.authsession.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ParsingTest {

    @Test
    @DisplayName("commandstats: calls per command, script-run commands included, other fields ignored")
    void commandCalls() {
        String info = """
                # Commandstats\r
                cmdstat_evalsha:calls=12,usec=340,usec_per_call=28.33,rejected_calls=0,failed_calls=1\r
                cmdstat_hgetall:calls=3,usec=9,usec_per_call=3.00,rejected_calls=0,failed_calls=0\r
                """;
        assertThat(BenchRedis.commandCalls(info)).containsExactly(
                java.util.Map.entry("evalsha", 12L), java.util.Map.entry("hgetall", 3L));
    }

    @Test
    void field_readsOneInfoField() {
        assertThat(BenchRedis.field("# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\n", "used_memory"))
                .isEqualTo("1048576");
    }

    @Test
    @DisplayName("key families star the hash tag and the last segment, so ids of one kind fall together")
    void familyOf() {
        assertThat(RedisCosts.familyOf("authsession:{ab_C}:session:ab_Cxyz")).isEqualTo("authsession:{*}:session:*");
        assertThat(RedisCosts.familyOf("authsession:{zlc2}:challenge:zlc2zOQk")).isEqualTo("authsession:{*}:challenge:*");
        assertThat(RedisCosts.familyOf("plain")).isEqualTo("plain");
    }

    @Test
    @DisplayName("--server takes a jar and optional JVM flags; the default server is the packaged jar")
    void options_servers() {
        Main.Options options = Main.Options.parse(new String[] {"--quick",
            "--server=old.jar::-Xmx256m  -XX:+UseSerialGC", "--server=new.jar"});
        assertThat(options.quick()).isTrue();
        assertThat(options.servers()).containsExactly(
                new Main.ServerVariant(Path.of("old.jar"), List.of("-Xmx256m", "-XX:+UseSerialGC")),
                new Main.ServerVariant(Path.of("new.jar"), List.of()));
        assertThat(Main.Options.parse(new String[0]).servers()).containsExactly(new Main.ServerVariant(
                Path.of("authsession-server", "target", "authsession-server.jar"), List.of()));
    }

    @Test
    void options_unknownArgument() {
        assertThatThrownBy(() -> Main.Options.parse(new String[] {"--fast"}))
                .hasMessageContaining("unknown argument --fast").hasMessageContaining("usage:");
        assertThatThrownBy(() -> Main.Options.parse(new String[] {"--only=jmh"})).hasMessageContaining("--only");
    }
}
