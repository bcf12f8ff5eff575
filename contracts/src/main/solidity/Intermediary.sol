// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {IReleaseRegistry} from "./IReleaseRegistry.sol";

/// @title Intermediary
/// @notice A payment channel between one consumer and one provider's listing. The consumer deposits ether or
/// one ERC-20; its signer key signs EIP-712 vouchers with cumulative request counts per epoch and category;
/// the provider's gateway redeems the best vouchers of an epoch in two phases (start, then finish after the
/// tolerance T_r) and the provider withdraws its earnings to its payout address. Optional SLA terms let
/// monitors report measured availability per window; the contract pays the tier's penalty from the
/// provider's collateral into the consumer's deposit.
/// @dev Deployed behind an ERC-1967 proxy by {IntermediaryFactory}. Invariant: the balance (of ether or the
/// token) equals `unredeemed + earnings + collateral`.
contract Intermediary is Initializable, EIP712Upgradeable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant VOUCHER_TYPEHASH =
        keccak256("Voucher(uint64 epoch,uint8 category,uint64 count,bytes32 priceTableHash)");
    bytes32 public constant WINDOW_REPORT_TYPEHASH = keccak256("WindowReport(uint64 window,uint32 availabilityBps)");
    bytes32 public constant UPGRADE_CONSENT_TYPEHASH =
        keccak256("UpgradeConsent(address implementation,uint256 nonce,uint256 deadline)");
    uint256 public constant MAX_CATEGORIES = 16;
    uint256 public constant MAX_MONITORS = 16;
    uint256 public constant MAX_TIERS = 8;
    uint32 public constant BPS = 10_000;

    /// @notice A penalty tier: a window whose median availability is below `belowBps` pays `penalty`.
    struct PenaltyTier {
        uint32 belowBps;
        uint256 penalty;
    }

    /// @notice SLA terms, fixed at creation. No monitors means no SLA.
    struct Sla {
        uint32 targetBps;
        uint64 windowLength;
        uint64 start;
        PenaltyTier[] tiers;
        address[] monitors;
        uint8 quorum;
    }

    /// @notice Everything the factory passes at creation.
    struct Params {
        address owner;
        address signer;
        address payout;
        address operator;
        address token;
        uint256[] prices;
        uint64 tolerance;
        uint64 closeDelay;
        Sla sla;
    }

    /// @notice One entry of a redemption: the best voucher of a category and the count claimed (≤ its count).
    struct Redemption {
        uint8 category;
        uint64 count;
        uint64 claimed;
        bytes signature;
    }

    /// @notice A monitor's signed availability for a window.
    struct WindowReport {
        uint32 availabilityBps;
        bytes signature;
    }

    /// @notice The mutable state in one read, for the gateway's cache.
    struct State {
        uint64 activeEpoch;
        uint64 expiringEpoch;
        uint64 expiringUntil;
        bool lastEpochStarted;
        uint256[] activePrices;
        bytes32 activePriceTableHash;
        uint256 unredeemed;
        uint256 earnings;
        uint256 collateral;
        uint256 totalDeposited;
        uint64 closeAt;
        bool closed;
        address signer;
        address pendingSigner;
        address operator;
        address pendingOperator;
        address implementation;
    }

    /// @custom:storage-location erc7201:tollgate.storage.Intermediary
    struct IntermediaryStorage {
        address factory;
        address owner;
        address payout;
        address token;
        address operator;
        address pendingOperator;
        address pendingSigner;
        uint64 tolerance;
        uint64 closeDelay;
        uint64 activeEpoch;
        uint64 expiringEpoch;
        uint64 expiringUntil;
        uint64 closeAt;
        bool lastEpochStarted;
        bool closed;
        uint256 unredeemed;
        uint256 earnings;
        uint256 collateral;
        uint256 totalDeposited;
        uint256 upgradeNonce;
        mapping(uint64 epoch => uint256[]) prices;
        mapping(uint64 epoch => bytes32) priceTableHashes;
        mapping(uint64 epoch => address) signers;
        mapping(uint64 epoch => bool) redeemed;
        mapping(uint64 epoch => mapping(uint8 category => uint64)) redeemedCounts;
        Sla sla;
        mapping(uint64 window => bool) windowReported;
    }

    // keccak256(abi.encode(uint256(keccak256("tollgate.storage.Intermediary")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x133fe902d4e4916405fc839340cff6967dee66ded6746c9dd6b4d3e225ffc200;

    // ------------------------------------------------------------------------------------------------ errors

    error ZeroAddress(string what);
    error BadPriceTable(uint256 categories);
    error BadTimes(uint64 tolerance, uint64 closeDelay);
    error BadSla(string why);
    error NotOwner(address caller);
    error NotOperator(address caller);
    error NotPayout(address caller);
    error NotOwnerOrPayout(address caller);
    error ChannelClosed();
    error WrongValue(uint256 expected, uint256 sent);
    error TokenDeliveredLess(uint256 asked, uint256 received);
    error RedemptionInProgress(uint64 epoch);
    error LastEpochAlreadyStarted(uint64 epoch);
    error NoRedemption();
    error WrongEpoch(uint64 expected, uint64 got);
    error ToleranceNotOver(uint64 until, uint64 now_);
    error DuplicateCategory(uint8 category);
    error UnknownCategory(uint8 category, uint256 categories);
    error ClaimAboveCount(uint64 claimed, uint64 count);
    error WrongSigner(address recovered, address expected);
    error CloseAlreadyRequested(uint64 closeAt);
    error CloseNotDue(uint64 closeAt, uint64 now_);
    error NothingToWithdraw();
    error NotARelease(address implementation);
    error ConsentExpired(uint256 deadline);
    error BadConsent(address recovered, address expected);
    error NoSla();
    error WindowNotOver(uint64 window, uint64 endsAt);
    error WindowAlreadyReported(uint64 window);
    error TooFewReports(uint256 reports, uint8 quorum);
    error UnknownMonitor(address monitor);
    error DuplicateMonitor(address monitor);
    error BadAvailability(uint32 availabilityBps);
    error TransferFailed(address to, uint256 amount);

    // ------------------------------------------------------------------------------------------------ events

    event ChannelOpened(
        address indexed owner, address indexed payout, address token, uint64 epoch, bytes32 priceTableHash
    );
    event Deposited(address indexed from, uint256 amount, uint256 unredeemed);
    event CollateralDeposited(address indexed from, uint256 amount, uint256 collateral);
    event RedemptionStarted(
        uint64 indexed expiringEpoch, uint64 expiringUntil, uint64 newEpoch, bytes32 priceTableHash
    );
    event Redeemed(uint64 indexed epoch, uint64[] counts, uint256 amount);
    event Withdrawn(address indexed payout, uint256 amount);
    event CloseRequested(uint64 closeAt);
    event Closed(address indexed by, uint256 refund, uint256 earnings);
    event SignerRotationRequested(address signer);
    event OperatorRotationRequested(address operator);
    event SignerRotated(uint64 indexed epoch, address signer);
    event OperatorRotated(uint64 indexed epoch, address operator);
    event WindowReported(uint64 indexed window, uint32 availabilityBps, uint256 penalty);
    event UpgradedWithConsent(address indexed implementation, uint256 nonce);

    // ---------------------------------------------------------------------------------------------- creation

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets the channel up; called once by the factory through the proxy. Ether sent along is the
    /// first deposit. Emits {ChannelOpened} (and {Deposited} when funded).
    function initialize(Params calldata p, address factory_) external payable initializer {
        if (p.owner == address(0)) revert ZeroAddress("owner");
        if (p.signer == address(0)) revert ZeroAddress("signer");
        if (p.payout == address(0)) revert ZeroAddress("payout");
        if (p.operator == address(0)) revert ZeroAddress("operator");
        if (p.prices.length == 0 || p.prices.length > MAX_CATEGORIES) revert BadPriceTable(p.prices.length);
        if (p.tolerance == 0 || p.closeDelay <= 2 * p.tolerance) revert BadTimes(p.tolerance, p.closeDelay);
        if (p.token != address(0) && msg.value != 0) revert WrongValue(0, msg.value);
        __EIP712_init("Tollgate Intermediary", "1");
        IntermediaryStorage storage $ = _storage();
        $.factory = factory_;
        $.owner = p.owner;
        $.payout = p.payout;
        $.operator = p.operator;
        $.token = p.token;
        $.tolerance = p.tolerance;
        $.closeDelay = p.closeDelay;
        $.activeEpoch = 1;
        $.signers[1] = p.signer;
        _setPrices($, 1, p.prices);
        _setSla($, p.sla);
        emit ChannelOpened(p.owner, p.payout, p.token, 1, $.priceTableHashes[1]);
        if (msg.value > 0) _credit($, msg.sender, msg.value);
    }

    // ------------------------------------------------------------------------------------------------ money in

    /// @notice Adds `amount` to the consumer's deposit: ether (msg.value must equal `amount`) or the channel's
    /// token (approved beforehand; a token that delivers less than asked is refused). Emits {Deposited}.
    function deposit(uint256 amount) external payable nonReentrant {
        IntermediaryStorage storage $ = _storage();
        if ($.closed) revert ChannelClosed();
        _pull($, amount);
        _credit($, msg.sender, amount);
    }

    /// @notice Adds `amount` to the provider's SLA collateral, from which penalties are paid.
    /// Emits {CollateralDeposited}.
    function depositCollateral(uint256 amount) external payable nonReentrant {
        IntermediaryStorage storage $ = _storage();
        if ($.closed) revert ChannelClosed();
        if ($.sla.monitors.length == 0) revert NoSla();
        _pull($, amount);
        $.collateral += amount;
        emit CollateralDeposited(msg.sender, amount, $.collateral);
    }

    // --------------------------------------------------------------------------------------------- redemption

    /// @notice Operator: the active epoch starts expiring (its vouchers stay valid for T_r) and the next epoch
    /// opens with `newPrices`. After a close request no epoch opens: the active one becomes the last.
    /// Rotations requested since take effect in the new epoch. Emits {RedemptionStarted}.
    function startRedemption(uint256[] calldata newPrices) external {
        IntermediaryStorage storage $ = _storage();
        _onlyOperator($);
        if ($.closed) revert ChannelClosed();
        if ($.expiringEpoch != 0) revert RedemptionInProgress($.expiringEpoch);
        if ($.lastEpochStarted) revert LastEpochAlreadyStarted($.activeEpoch);
        uint64 expiring = $.activeEpoch;
        uint64 until = uint64(block.timestamp) + $.tolerance;
        $.expiringEpoch = expiring;
        $.expiringUntil = until;
        if ($.closeAt != 0) {
            $.lastEpochStarted = true;
            emit RedemptionStarted(expiring, until, 0, bytes32(0));
            return;
        }
        uint64 next = expiring + 1;
        if (newPrices.length == 0 || newPrices.length > MAX_CATEGORIES) revert BadPriceTable(newPrices.length);
        $.activeEpoch = next;
        _setPrices($, next, newPrices);
        address signer = $.pendingSigner != address(0) ? $.pendingSigner : $.signers[expiring];
        $.signers[next] = signer;
        if ($.pendingSigner != address(0)) {
            $.pendingSigner = address(0);
            emit SignerRotated(next, signer);
        }
        if ($.pendingOperator != address(0)) {
            $.operator = $.pendingOperator;
            $.pendingOperator = address(0);
            emit OperatorRotated(next, $.operator);
        }
        emit RedemptionStarted(expiring, until, next, $.priceTableHashes[next]);
    }

    /// @notice Operator, after T_r: redeems the expiring epoch with at most one voucher per category. Pays
    /// Σ claimed × price, capped at the unredeemed deposit, into the provider's earnings; each epoch once.
    /// Emits {Redeemed}.
    function finishRedemption(uint64 epoch, Redemption[] calldata vouchers) external {
        IntermediaryStorage storage $ = _storage();
        _onlyOperator($);
        if ($.expiringEpoch == 0) revert NoRedemption();
        if (epoch != $.expiringEpoch) revert WrongEpoch($.expiringEpoch, epoch);
        if (block.timestamp < $.expiringUntil) revert ToleranceNotOver($.expiringUntil, uint64(block.timestamp));
        uint256[] storage prices = $.prices[epoch];
        uint64[] memory counts = new uint64[](prices.length);
        uint256 value;
        uint256 seen;
        for (uint256 i = 0; i < vouchers.length; i++) {
            Redemption calldata v = vouchers[i];
            if (v.category >= prices.length) revert UnknownCategory(v.category, prices.length);
            if (seen & (1 << v.category) != 0) revert DuplicateCategory(v.category);
            seen |= 1 << v.category;
            if (v.claimed > v.count) revert ClaimAboveCount(v.claimed, v.count);
            _checkVoucher($, epoch, v);
            counts[v.category] = v.claimed;
            $.redeemedCounts[epoch][v.category] = v.claimed;
            value += uint256(v.claimed) * prices[v.category];
        }
        uint256 amount = value < $.unredeemed ? value : $.unredeemed;
        $.unredeemed -= amount;
        $.earnings += amount;
        $.redeemed[epoch] = true;
        $.expiringEpoch = 0;
        $.expiringUntil = 0;
        emit Redeemed(epoch, counts, amount);
    }

    /// @notice Anyone: pays the provider's earnings to its payout address (pull pattern). Emits {Withdrawn}.
    function withdraw() external nonReentrant {
        IntermediaryStorage storage $ = _storage();
        uint256 amount = $.earnings;
        if (amount == 0) revert NothingToWithdraw();
        $.earnings = 0;
        emit Withdrawn($.payout, amount);
        _send($, $.payout, amount);
    }

    // ------------------------------------------------------------------------------------------------- close

    /// @notice Owner: asks to close at now + T_c; the gateway stops accepting and redeems the last epoch in
    /// time. Emits {CloseRequested}.
    function requestClose() external {
        IntermediaryStorage storage $ = _storage();
        if (msg.sender != $.owner) revert NotOwner(msg.sender);
        if ($.closed) revert ChannelClosed();
        if ($.closeAt != 0) revert CloseAlreadyRequested($.closeAt);
        $.closeAt = uint64(block.timestamp) + $.closeDelay;
        emit CloseRequested($.closeAt);
    }

    /// @notice Payout at any time, owner once the close time has come: refunds the unredeemed deposit to the
    /// owner; earnings and the remaining collateral stay for {withdraw} to payout. Terminal. Emits {Closed}.
    function close() external nonReentrant {
        IntermediaryStorage storage $ = _storage();
        if ($.closed) revert ChannelClosed();
        if (msg.sender == $.owner) {
            if ($.closeAt == 0 || block.timestamp < $.closeAt) revert CloseNotDue($.closeAt, uint64(block.timestamp));
        } else if (msg.sender != $.payout) {
            revert NotOwnerOrPayout(msg.sender);
        }
        uint256 refund = $.unredeemed;
        $.closed = true;
        $.unredeemed = 0;
        $.earnings += $.collateral;
        $.collateral = 0;
        $.expiringEpoch = 0;
        emit Closed(msg.sender, refund, $.earnings);
        if (refund > 0) _send($, $.owner, refund);
    }

    // --------------------------------------------------------------------------------------------- rotations

    /// @notice Owner: the signer for vouchers from the next epoch on. Emits {SignerRotationRequested}.
    function rotateSigner(address newSigner) external {
        IntermediaryStorage storage $ = _storage();
        if (msg.sender != $.owner) revert NotOwner(msg.sender);
        if (newSigner == address(0)) revert ZeroAddress("signer");
        $.pendingSigner = newSigner;
        emit SignerRotationRequested(newSigner);
    }

    /// @notice Payout: the operator from the next epoch on. Emits {OperatorRotationRequested}.
    function rotateOperator(address newOperator) external {
        IntermediaryStorage storage $ = _storage();
        if (msg.sender != $.payout) revert NotPayout(msg.sender);
        if (newOperator == address(0)) revert ZeroAddress("operator");
        $.pendingOperator = newOperator;
        emit OperatorRotationRequested(newOperator);
    }

    // ----------------------------------------------------------------------------------------------- upgrade

    /// @notice Moves the channel to `implementation`, a release registered in the factory, with the EIP-712
    /// consent of both owner and payout for this implementation and the current nonce. Emits {Upgraded}.
    function upgradeWithConsent(
        address implementation,
        bytes calldata data,
        uint256 deadline,
        bytes calldata ownerConsent,
        bytes calldata payoutConsent
    ) external nonReentrant {
        IntermediaryStorage storage $ = _storage();
        if (!IReleaseRegistry($.factory).isRelease(implementation)) revert NotARelease(implementation);
        if (block.timestamp > deadline) revert ConsentExpired(deadline);
        bytes32 digest = upgradeConsentDigest(implementation, $.upgradeNonce, deadline);
        address byOwner = ECDSA.recover(digest, ownerConsent);
        if (byOwner != $.owner) revert BadConsent(byOwner, $.owner);
        address byPayout = ECDSA.recover(digest, payoutConsent);
        if (byPayout != $.payout) revert BadConsent(byPayout, $.payout);
        uint256 nonce = $.upgradeNonce++;
        emit UpgradedWithConsent(implementation, nonce);
        ERC1967Utils.upgradeToAndCall(implementation, data);
    }

    // --------------------------------------------------------------------------------------------------- SLA

    /// @notice Anyone, once `window` has ended: takes at least quorum signed reports of distinct monitors,
    /// uses their median and pays the tier's penalty from the collateral into the consumer's deposit (what is
    /// left of the collateral when it is short). Each window once. Emits {WindowReported}.
    function reportWindow(uint64 window, WindowReport[] calldata reports) external {
        IntermediaryStorage storage $ = _storage();
        Sla storage sla = $.sla;
        if (sla.monitors.length == 0) revert NoSla();
        if ($.closed) revert ChannelClosed();
        uint64 endsAt = sla.start + (window + 1) * sla.windowLength;
        if (block.timestamp < endsAt) revert WindowNotOver(window, endsAt);
        if ($.windowReported[window]) revert WindowAlreadyReported(window);
        if (reports.length < sla.quorum) revert TooFewReports(reports.length, sla.quorum);
        uint32[] memory values = new uint32[](reports.length);
        uint256 seen;
        for (uint256 i = 0; i < reports.length; i++) {
            uint32 availability = reports[i].availabilityBps;
            if (availability > BPS) revert BadAvailability(availability);
            address monitor = ECDSA.recover(windowReportDigest(window, availability), reports[i].signature);
            uint256 index = _monitorIndex(sla, monitor);
            if (seen & (1 << index) != 0) revert DuplicateMonitor(monitor);
            seen |= 1 << index;
            values[i] = availability;
        }
        uint32 median = _median(values);
        uint256 penalty = _penaltyFor(sla, median);
        uint256 paid = penalty < $.collateral ? penalty : $.collateral;
        $.windowReported[window] = true;
        $.collateral -= paid;
        $.unredeemed += paid;
        emit WindowReported(window, median, paid);
    }

    // ------------------------------------------------------------------------------------------------- views

    /// @notice The EIP-712 digest a voucher's signer signs (for clients and the gateway to compare).
    function voucherDigest(uint64 epoch, uint8 category, uint64 count, bytes32 tableHash)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(VOUCHER_TYPEHASH, epoch, category, count, tableHash)));
    }

    /// @notice The EIP-712 digest a monitor signs for a window.
    function windowReportDigest(uint64 window, uint32 availabilityBps) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(WINDOW_REPORT_TYPEHASH, window, availabilityBps)));
    }

    /// @notice The EIP-712 digest owner and payout sign to consent to an upgrade.
    function upgradeConsentDigest(address implementation, uint256 nonce, uint256 deadline)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(UPGRADE_CONSENT_TYPEHASH, implementation, nonce, deadline)));
    }

    /// @notice keccak256(abi.encodePacked(prices)): what vouchers sign as `priceTableHash`.
    function priceTableHash(uint256[] memory prices) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(prices));
    }

    /// @notice The mutable state in one call.
    function state() external view returns (State memory s) {
        IntermediaryStorage storage $ = _storage();
        s.activeEpoch = $.activeEpoch;
        s.expiringEpoch = $.expiringEpoch;
        s.expiringUntil = $.expiringUntil;
        s.lastEpochStarted = $.lastEpochStarted;
        s.activePrices = $.prices[$.activeEpoch];
        s.activePriceTableHash = $.priceTableHashes[$.activeEpoch];
        s.unredeemed = $.unredeemed;
        s.earnings = $.earnings;
        s.collateral = $.collateral;
        s.totalDeposited = $.totalDeposited;
        s.closeAt = $.closeAt;
        s.closed = $.closed;
        s.signer = $.signers[$.activeEpoch];
        s.pendingSigner = $.pendingSigner;
        s.operator = $.operator;
        s.pendingOperator = $.pendingOperator;
        s.implementation = ERC1967Utils.getImplementation();
    }

    /// @notice The parties and terms fixed at creation.
    function parties()
        external
        view
        returns (address factory, address owner, address payout, address token, uint64 tolerance, uint64 closeDelay)
    {
        IntermediaryStorage storage $ = _storage();
        return ($.factory, $.owner, $.payout, $.token, $.tolerance, $.closeDelay);
    }

    /// @notice The price table of an epoch and its hash.
    function pricesOf(uint64 epoch) external view returns (uint256[] memory prices, bytes32 tableHash) {
        IntermediaryStorage storage $ = _storage();
        return ($.prices[epoch], $.priceTableHashes[epoch]);
    }

    /// @notice The signer whose vouchers count in `epoch`.
    function signerOf(uint64 epoch) external view returns (address) {
        return _storage().signers[epoch];
    }

    /// @notice The counts redeemed for an epoch, per category, and whether it was redeemed.
    function redeemedCounts(uint64 epoch) external view returns (uint64[] memory counts, bool redeemed) {
        IntermediaryStorage storage $ = _storage();
        counts = new uint64[]($.prices[epoch].length);
        for (uint8 c = 0; c < counts.length; c++) {
            counts[c] = $.redeemedCounts[epoch][c];
        }
        return (counts, $.redeemed[epoch]);
    }

    /// @notice The SLA terms (empty monitors: no SLA) and whether `window` was reported.
    function slaTerms() external view returns (Sla memory) {
        return _storage().sla;
    }

    function windowReported(uint64 window) external view returns (bool) {
        return _storage().windowReported[window];
    }

    /// @notice The nonce the next upgrade consent must carry.
    function upgradeNonce() external view returns (uint256) {
        return _storage().upgradeNonce;
    }

    // -------------------------------------------------------------------------------------------- internals

    function _storage() private pure returns (IntermediaryStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }

    function _onlyOperator(IntermediaryStorage storage $) private view {
        if (msg.sender != $.operator) revert NotOperator(msg.sender);
    }

    function _setPrices(IntermediaryStorage storage $, uint64 epoch, uint256[] calldata prices) private {
        $.prices[epoch] = prices;
        $.priceTableHashes[epoch] = keccak256(abi.encodePacked(prices));
    }

    function _setSla(IntermediaryStorage storage $, Sla calldata sla) private {
        if (sla.monitors.length == 0) return;
        if (sla.monitors.length > MAX_MONITORS) revert BadSla("too many monitors");
        if (sla.quorum == 0 || sla.quorum > sla.monitors.length) revert BadSla("quorum out of range");
        if (sla.windowLength == 0) revert BadSla("window length is zero");
        if (sla.targetBps > BPS) revert BadSla("target above 10000 bps");
        if (sla.tiers.length == 0 || sla.tiers.length > MAX_TIERS) revert BadSla("1 to 8 tiers");
        for (uint256 i = 0; i < sla.monitors.length; i++) {
            if (sla.monitors[i] == address(0)) revert ZeroAddress("monitor");
            for (uint256 j = 0; j < i; j++) {
                if (sla.monitors[j] == sla.monitors[i]) revert DuplicateMonitor(sla.monitors[i]);
            }
        }
        Sla storage stored = $.sla;
        stored.targetBps = sla.targetBps;
        stored.windowLength = sla.windowLength;
        stored.start = sla.start == 0 ? uint64(block.timestamp) : sla.start;
        stored.quorum = sla.quorum;
        stored.monitors = sla.monitors;
        for (uint256 i = 0; i < sla.tiers.length; i++) {
            if (sla.tiers[i].belowBps > BPS) revert BadSla("tier above 10000 bps");
            stored.tiers.push(sla.tiers[i]);
        }
    }

    function _checkVoucher(IntermediaryStorage storage $, uint64 epoch, Redemption calldata v) private view {
        bytes32 digest = voucherDigest(epoch, v.category, v.count, $.priceTableHashes[epoch]);
        address recovered = ECDSA.recover(digest, v.signature);
        if (recovered != $.signers[epoch]) revert WrongSigner(recovered, $.signers[epoch]);
    }

    function _pull(IntermediaryStorage storage $, uint256 amount) private {
        if ($.token == address(0)) {
            if (msg.value != amount) revert WrongValue(amount, msg.value);
            return;
        }
        if (msg.value != 0) revert WrongValue(0, msg.value);
        IERC20 token = IERC20($.token);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != amount) revert TokenDeliveredLess(amount, received);
    }

    function _credit(IntermediaryStorage storage $, address from, uint256 amount) private {
        $.unredeemed += amount;
        $.totalDeposited += amount;
        emit Deposited(from, amount, $.unredeemed);
    }

    function _send(IntermediaryStorage storage $, address to, uint256 amount) private {
        if ($.token == address(0)) {
            (bool ok,) = to.call{value: amount}("");
            if (!ok) revert TransferFailed(to, amount);
        } else {
            IERC20($.token).safeTransfer(to, amount);
        }
    }

    function _monitorIndex(Sla storage sla, address monitor) private view returns (uint256) {
        for (uint256 i = 0; i < sla.monitors.length; i++) {
            if (sla.monitors[i] == monitor) return i;
        }
        revert UnknownMonitor(monitor);
    }

    /// @dev Median of a small array (insertion sort); the lower middle for an even count.
    function _median(uint32[] memory values) private pure returns (uint32) {
        for (uint256 i = 1; i < values.length; i++) {
            uint32 v = values[i];
            uint256 j = i;
            while (j > 0 && values[j - 1] > v) {
                values[j] = values[j - 1];
                j--;
            }
            values[j] = v;
        }
        return values[(values.length - 1) / 2];
    }

    /// @dev The largest penalty among the tiers whose threshold the availability is below.
    function _penaltyFor(Sla storage sla, uint32 availability) private view returns (uint256 penalty) {
        for (uint256 i = 0; i < sla.tiers.length; i++) {
            if (availability < sla.tiers[i].belowBps && sla.tiers[i].penalty > penalty) {
                penalty = sla.tiers[i].penalty;
            }
        }
    }
}
