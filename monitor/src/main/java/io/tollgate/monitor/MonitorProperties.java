package io.tollgate.monitor;

import io.tollgate.settings.Secret;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The monitor.
 *
 * @param keys the monitor keys (hex private keys, env {@code TOLLGATE_MONITOR_KEYS}) it signs window reports with;
 *     each signs only for channels that name its address. Never logged. Empty: it measures nothing and signs
 *     nothing (a submitter-only process)
 * @param name this process's name among probers ({@code sla_probe_minute.prober}): each process probes for itself
 * @param marketplaceUrl where the feed of channels to measure is ({@code GET /api/sla/monitoring})
 * @param feedInterval how often the feed is read
 * @param probeInterval how often each listing's probe URL is called
 * @param probeTimeout a probe not answered within this fails
 * @param settle how long after a window's end it is measured (the gateways flush their rows every few seconds)
 * @param tick how often ended windows are looked for
 * @param lookback how far back ended windows are still reported (after a restart)
 * @param marketplaceCredential the monitor credential sent as {@code Authorization: Bearer …} to the feed (the
 *     marketplace's {@code tollgate.monitors.credential}; env {@code TOLLGATE_MONITOR_MARKETPLACE_CREDENTIAL}); never
 *     logged
 */
@Validated
@ConfigurationProperties("tollgate.monitor")
public record MonitorProperties(
        @DefaultValue List<Secret> keys,
        @DefaultValue("monitor") @NotBlank String name,
        @NotNull URI marketplaceUrl,
        @DefaultValue("10s") Duration feedInterval,
        @DefaultValue("10s") Duration probeInterval,
        @DefaultValue("5s") Duration probeTimeout,
        @DefaultValue("15s") Duration settle,
        @DefaultValue("5s") Duration tick,
        @DefaultValue("1h") Duration lookback,
        @DefaultValue("") Secret marketplaceCredential) {}
