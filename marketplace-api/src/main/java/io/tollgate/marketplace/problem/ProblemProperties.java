package io.tollgate.marketplace.problem;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Problem+json settings.
 *
 * @param base the base of every problem type URI ({@code {base}/not-found}, …), shared with the gateway
 */
@Validated
@ConfigurationProperties("tollgate.problems")
public record ProblemProperties(
        @DefaultValue("https://tollgate.dev/problems") @NotNull
        URI base) {
    public URI typeOf(ProblemType type) {
        return URI.create(base.toString().replaceAll("/$", "") + "/" + type.slug());
    }
}
