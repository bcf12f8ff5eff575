package io.tollgate.protocol.chain;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The events of the Intermediary (both releases) and its factory, by their Solidity names
 * ({@link #eventName()}), which is what {@code chain_event.name} stores. The marketplace's
 * {@code ChainEventNamesTest} holds this list to the contracts' ABIs.
 */
public enum ChainEvent {
    CHANNEL_CREATED("ChannelCreated"),
    CHANNEL_OPENED("ChannelOpened"),
    DEPOSITED("Deposited"),
    REDEEMED("Redeemed"),
    /** Release 2's one-step redemption: pays like release 1's {@link #REDEEMED}. */
    CLAIMED("Claimed"),
    CLAIM_FAILED("ClaimFailed"),
    WITHDRAWN("Withdrawn"),
    CLOSE_REQUESTED("CloseRequested"),
    CLOSED("Closed"),
    EPOCH_STARTED("EpochStarted"),
    REDEMPTION_STARTED("RedemptionStarted"),
    COLLATERAL_DEPOSITED("CollateralDeposited"),
    COLLATERAL_HELD("CollateralHeld"),
    COLLATERAL_RELEASED("CollateralReleased"),
    /** Release 1: a window reported in one step, its penalty paid. */
    WINDOW_REPORTED("WindowReported"),
    /** Release 2: a report added during the window's report period. */
    REPORT_ADDED("ReportAdded"),
    /** Release 2: a window settled on the median of the reports added, its penalty paid. */
    WINDOW_SETTLED("WindowSettled"),
    SIGNER_ROTATION_REQUESTED("SignerRotationRequested"),
    SIGNER_ROTATED("SignerRotated"),
    OPERATOR_ROTATION_REQUESTED("OperatorRotationRequested"),
    OPERATOR_ROTATED("OperatorRotated"),
    OPERATOR_REPLACED("OperatorReplaced"),
    UPGRADED_WITH_CONSENT("UpgradedWithConsent"),
    RELEASE_REGISTERED("ReleaseRegistered"),
    // inherited from OpenZeppelin: the proxy's upgrade, initialisation, EIP-712 domain and the factory's ownership
    UPGRADED("Upgraded"),
    INITIALIZED("Initialized"),
    EIP712_DOMAIN_CHANGED("EIP712DomainChanged"),
    OWNERSHIP_TRANSFER_STARTED("OwnershipTransferStarted"),
    OWNERSHIP_TRANSFERRED("OwnershipTransferred");

    private static final Map<String, ChainEvent> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ChainEvent::eventName, Function.identity()));

    private final String eventName;

    ChainEvent(String eventName) {
        this.eventName = eventName;
    }

    /** The Solidity name, as emitted and stored. */
    public String eventName() {
        return eventName;
    }

    /** The event of that Solidity name, when it is one of ours. */
    public static Optional<ChainEvent> named(String eventName) {
        return Optional.ofNullable(BY_NAME.get(eventName));
    }

    /** The Solidity names of {@code events}, to bind into a query ({@code name in (:names)}). */
    public static List<String> names(ChainEvent... events) {
        return Arrays.stream(events).map(ChainEvent::eventName).toList();
    }
}
