package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.Intermediary;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import org.web3j.protocol.Web3j;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/** Deploys the Intermediary's releases and its factory, and registers releases in a factory (an admin's key). */
public final class Deployments {
    private Deployments() {}

    /** The factory and the release it creates channels with. */
    public record Deployment(String factory, String implementation) {}

    /** Deploys an implementation and a factory administered by {@code admin}, and registers the release. */
    public static Deployment deploy(Web3j web3j, TransactionManager admin) {
        try {
            var gas = new DefaultGasProvider();
            var implementation = Intermediary.deploy(web3j, admin, gas).send();
            var factory = IntermediaryFactory.deploy(web3j, admin, gas, admin.getFromAddress())
                    .send();
            factory.registerRelease(implementation.getContractAddress()).send();
            return new Deployment(factory.getContractAddress(), implementation.getContractAddress());
        } catch (Exception e) {
            throw new IllegalStateException("deploying the Intermediary release and factory failed", e);
        }
    }

    /**
     * Deploys release 2 of the Intermediary and registers it in {@code factory} (with its admin's key): channels
     * created from then on run release 2, and channels of release 1 may upgrade to it. Returns its address.
     */
    public static String deployRelease2(Web3j web3j, TransactionManager admin, String factory) {
        try {
            var gas = new DefaultGasProvider();
            var implementation = IntermediaryRelease2.deploy(web3j, admin, gas).send();
            IntermediaryFactory.load(factory, web3j, admin, gas)
                    .registerRelease(implementation.getContractAddress())
                    .send();
            return implementation.getContractAddress();
        } catch (Exception e) {
            throw new IllegalStateException("deploying and registering Intermediary release 2 failed", e);
        }
    }

    /**
     * Deploys another instance of release 1's code and appends it to {@code factory}'s release list: a newer
     * release with release 1's consent format, for tests that upgrade channels and must leave the factory creating
     * release-1 channels for the tests after them (the demo registers {@link #deployRelease2 release 2}). Returns
     * its address.
     */
    public static String registerNewRelease(Web3j web3j, TransactionManager admin, String factory) {
        try {
            var gas = new DefaultGasProvider();
            String implementation =
                    Intermediary.deploy(web3j, admin, gas).send().getContractAddress();
            IntermediaryFactory.load(factory, web3j, admin, gas)
                    .registerRelease(implementation)
                    .send();
            return implementation;
        } catch (Exception e) {
            throw new IllegalStateException("deploying and registering a new Intermediary release failed", e);
        }
    }
}
