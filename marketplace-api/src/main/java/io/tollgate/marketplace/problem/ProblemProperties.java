package io.tollgate.marketplace.problem;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Problem+json settings.
 *
 * @param base the base of every problem type URI ({@code {base}/not-found}, …), shared with the gateway
 */
@ConfigurationProperties("tollgate.problems")
public record ProblemProperties(
        @DefaultValue("https://tollgate.dev/problems") URI base) {
    public URI typeOf(ProblemType type) {
        return URI.create(base.toString().replaceAll("/$", "") + "/" + type.slug());
    }
}
