package io.tollgate.gateway.problem;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** @param base the base URI of every problem {@code type} ({@code {base}/<slug>}) */
@Validated
@ConfigurationProperties("tollgate.problems")
public record ProblemProperties(
        @DefaultValue("https://tollgate.dev/problems") @NotBlank
        String base) {}
