package io.tollgate.gateway.payment;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * The request's own event loop. The ledger answers on Redis's I/O thread; left there, every forward of the gateway
 * would run on that one thread and take upstream connections from pools of other loops.
 */
final class RequestLoop {

    private RequestLoop() {}

    static Scheduler of(ServerWebExchange exchange) {
        try {
            if (ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof Connection connection) {
                return Schedulers.fromExecutor(connection.channel().eventLoop());
            }
        } catch (IllegalStateException | IllegalArgumentException noServer) {
            // a request without a server behind it (tests): stay where the answer arrives
        }
        return Schedulers.immediate();
    }
}
