package io.tollgate.gateway;

import io.tollgate.gateway.ledger.LedgerProperties;
import io.tollgate.gateway.ledger.RedisVoucherLedger;
import java.time.Clock;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * A test class's connection to the machine's {@link RealRedis} and a voucher ledger on it (64 entries per channel
 * kept, keys under the class's prefix, the system clock), from before its first test to after its last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RealRedisLedger redis = new RealRedisLedger("tollgate-test");
 * }</pre>
 */
public final class RealRedisLedger implements BeforeAllCallback, AfterAllCallback {
    private final String prefix;
    private RealRedis redis;
    private RedisVoucherLedger ledger;

    public RealRedisLedger(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        redis = RealRedis.connect();
        ledger = redis.ledger(new LedgerProperties(64, prefix), Clock.systemUTC());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ledger.close();
        redis.close();
    }

    public RedisVoucherLedger ledger() {
        return ledger;
    }

    public ReactiveStringRedisTemplate template() {
        return redis.template();
    }
}
