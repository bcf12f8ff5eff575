package io.tollgate.gateway;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The machine's real Redis (127.0.0.1:6379 unless {@code tollgate.test.redis.port} says otherwise). */
public final class RealRedis implements AutoCloseable {

    private static final SecureRandom random = new SecureRandom();

    private final LettuceConnectionFactory factory;
    private final ReactiveStringRedisTemplate template;

    private final int port;

    private RealRedis(int port) {
        this.port = port;
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        template = new ReactiveStringRedisTemplate(factory);
    }

    public static RealRedis connect() {
        return connect(Integer.getInteger("tollgate.test.redis.port", 6379));
    }

    public static RealRedis connect(int port) {
        return new RealRedis(port);
    }

    public ReactiveStringRedisTemplate template() {
        return template;
    }

    /** A ledger on this server. */
    public io.tollgate.gateway.ledger.RedisVoucherLedger ledger(
            io.tollgate.gateway.ledger.LedgerProperties properties, java.time.Clock clock) {
        return new io.tollgate.gateway.ledger.RedisVoucherLedger(
                (io.lettuce.core.RedisClient) factory.getRequiredNativeClient(),
                io.lettuce.core.RedisURI.create("127.0.0.1", port),
                properties,
                clock);
    }

    /** How many script calls (EVAL and EVALSHA) the server has run since it started or its stats were reset. */
    public long scriptCalls() {
        var stats = template.getConnectionFactory()
                .getReactiveConnection()
                .serverCommands()
                .info("commandstats")
                .block();
        long calls = 0;
        for (String command : new String[] {"cmdstat_eval", "cmdstat_evalsha"}) {
            String line = stats.getProperty(command, "calls=0,");
            calls += Long.parseLong(line.substring("calls=".length(), line.indexOf(',')));
        }
        return calls;
    }

    /** A fresh random channel address, so tests never share keys on the shared server. */
    public static String randomChannel() {
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        factory.destroy();
    }
}
