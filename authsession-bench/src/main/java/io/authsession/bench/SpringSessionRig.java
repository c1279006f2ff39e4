package io.authsession.bench;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository.RedisSession;

/**
 * Spring Session Data Redis as Spring Boot wires {@code @EnableRedisIndexedHttpSession}: the indexed repository (the
 * one that can find sessions by principal name) over a {@link RedisTemplate} with string keys and JDK-serialised
 * values, on Lettuce with its shared connection (Boot's default client). Left out, which favours Spring: the
 * keyspace-event listener and its {@code CONFIG SET notify-keyspace-events} (as with
 * {@code ConfigureRedisAction.NO_OP}), and the cleanup task.
 */
final class SpringSessionRig implements AutoCloseable {
    private final LettuceConnectionFactory factory;
    final RedisIndexedSessionRepository repository;
    private final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private final AtomicLong principals = new AtomicLong();

    SpringSessionRig(BenchRedis server) {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
        RedisTemplate<String, Object> template = new RedisTemplate<>();
        template.setKeySerializer(new StringRedisSerializer());
        template.setHashKeySerializer(new StringRedisSerializer());
        template.setConnectionFactory(factory);
        template.afterPropertiesSet();
        repository = new RedisIndexedSessionRepository(template);
        // Its once-a-minute cleanup finds nothing to clean in runs shorter than the 30-minute session timeout.
        repository.setCleanupCron("-");
        repository.afterPropertiesSet();
    }

    String freshPrincipal() {
        return "p" + run + "-" + principals.incrementAndGet();
    }

    /** A login's worth of Spring Session: a new session holding the principal name, saved. */
    RedisSession create(String principal) {
        RedisSession session = repository.createSession();
        session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, principal);
        repository.save(session);
        return session;
    }

    /** One session lifecycle: created, found by principal name, deleted. */
    String lifecycle() {
        String principal = freshPrincipal();
        RedisSession session = create(principal);
        Map<String, RedisSession> found = repository.findByPrincipalName(principal);
        if (found.size() != 1) {
            throw new IllegalStateException("expected the principal's one session, found " + found.size());
        }
        repository.deleteById(session.getId());
        return session.getId();
    }

    @Override
    public void close() {
        repository.destroy();
        factory.destroy();
    }
}
