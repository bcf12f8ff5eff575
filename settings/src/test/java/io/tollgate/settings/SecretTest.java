package io.tollgate.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretTest {
    record Holder(String name, Secret password, List<Secret> keys) {}

    @Test
    void a_record_holding_secrets_prints_none_of_them() {
        var holder = new Holder("db", new Secret("hunter2"), List.of(new Secret("0xabc"), Secret.NONE));

        assertThat(holder.toString())
                .doesNotContain("hunter2")
                .doesNotContain("0xabc")
                .isEqualTo("Holder[name=db, password=(set), keys=[(set), none]]");
    }

    @Test
    void blank_is_not_set() {
        assertThat(new Secret(" ").isSet()).isFalse();
        assertThat(Secret.NONE.isSet()).isFalse();
        assertThat(new Secret("k").isSet()).isTrue();
        assertThat(new Secret("k").value()).isEqualTo("k");
    }
}
