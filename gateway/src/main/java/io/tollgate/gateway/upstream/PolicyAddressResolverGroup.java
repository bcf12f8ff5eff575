package io.tollgate.gateway.upstream;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import io.tollgate.upstream.UpstreamDecision;
import io.tollgate.upstream.UpstreamPolicy;
import io.tollgate.upstream.UpstreamRefusedException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Resolves upstream hosts for the gateway's HTTP client and keeps only the addresses the {@link UpstreamPolicy}
 * allows, so the address actually dialled is the one checked: a name that resolved to a public address when the
 * listing was saved and to {@code 127.0.0.1} now (DNS rebinding) is refused here, before any connection. Address
 * literals are checked too (they are never "already resolved" for this resolver). Lookups are blocking JDK lookups
 * on virtual threads, never on the event loop.
 */
public final class PolicyAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {
    private final UpstreamPolicy policy;
    private final ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor();

    public PolicyAddressResolverGroup(UpstreamPolicy policy) {
        this.policy = policy;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new Resolver(executor);
    }

    @Override
    public void close() {
        super.close();
        lookups.close();
    }

    private final class Resolver extends AbstractAddressResolver<InetSocketAddress> {
        Resolver(EventExecutor executor) {
            super(executor, InetSocketAddress.class);
        }

        @Override
        protected boolean doIsResolved(InetSocketAddress address) {
            return false; // an address literal is checked like a resolved name
        }

        @Override
        protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
            resolve(unresolved, addresses -> promise.trySuccess(addresses.getFirst()), promise::tryFailure);
        }

        @Override
        protected void doResolveAll(InetSocketAddress unresolved, Promise<List<InetSocketAddress>> promise) {
            resolve(unresolved, promise::trySuccess, promise::tryFailure);
        }

        private void resolve(
                InetSocketAddress target,
                java.util.function.Consumer<List<InetSocketAddress>> done,
                java.util.function.Consumer<Throwable> failed) {
            String host = target.getHostString();
            int port = target.getPort();
            if (!target.isUnresolved()) {
                InetAddress address = target.getAddress();
                switch (policy.checkAddress(host, address)) {
                    case UpstreamDecision.Allowed a -> done.accept(List.of(target));
                    case UpstreamDecision.Refused r -> failed.accept(new UpstreamRefusedException(r));
                }
                return;
            }
            lookups.execute(() -> {
                try {
                    done.accept(policy.allowedAddresses(host).stream()
                            .map(a -> new InetSocketAddress(a, port))
                            .toList());
                } catch (Exception e) {
                    failed.accept(e);
                }
            });
        }

        @Override
        public boolean isSupported(SocketAddress address) {
            return address instanceof InetSocketAddress;
        }
    }
}
