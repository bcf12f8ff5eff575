package io.tollgate.monitor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The SLA monitor: measures the availability of the listings whose channels name its keys, per SLA window, signs
 * one report per window and key, and (with a submitter key) reports windows with a quorum of reports on chain.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MonitorApplication {
    public static void main(String[] args) {
        SpringApplication.run(MonitorApplication.class, args);
    }
}
