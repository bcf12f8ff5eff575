package io.tollgate.monitor.submit;

/** A monitor's signed report of a window, as {@code sla_report} holds it. */
record Report(String monitor, int availabilityBps, byte[] signature) {}
