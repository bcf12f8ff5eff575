package io.tollgate.gateway.problem;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

@Configuration(proxyBeanMethods = false)
class ProblemConfiguration {

    @Bean
    ProblemResponder problemResponder(ObjectMapper json, ProblemProperties properties) {
        return new ProblemResponder(json, properties);
    }

    /** Every other error as a problem of the same catalogue (no route, upstream down or too slow, …). */
    @Bean
    GatewayProblemHandler gatewayProblemHandler(ProblemResponder problems) {
        return new GatewayProblemHandler(problems);
    }
}
