// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {IReleaseRegistry} from "./IReleaseRegistry.sol";

/// @title Intermediary, release 2
/// @notice A payment channel between one consumer and one provider's listing (see docs/protocol.md). Release 2
/// redeems in one step: {claim} pays, per category, the best voucher's count minus what was claimed before, and
/// the epoch stays open; a new epoch starts only for a new price table or a new signer. The SLA is settled in
/// two steps: monitor reports are added during a report period after each window ({addReports}), then
/// {settleWindow} takes the median of all of them. A close keeps the collateral that ended, unsettled windows may
/// still claim. The payout replaces the operator at once. Upgrade consents cover the migration call's data.
/// @dev Same ERC-7201 storage as release 1 ({Intermediary}), with fields appended; a channel created on release
/// 1 upgrades to this one with both parties' consent and keeps every balance. Invariant: the balance (of ether
/// or the token) equals `unredeemed + earnings + collateral`.
contract IntermediaryRelease2 is Initializable, EIP712Upgradeable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant VOUCHER_TYPEHASH =
        keccak256("Voucher(uint64 epoch,uint8 category,uint64 count,bytes32 priceTableHash)");
    bytes32 public constant WINDOW_REPORT_TYPEHASH = keccak256("WindowReport(uint64 window,uint32 availabilityBps)");
    bytes32 public constant UPGRADE_CONSENT_TYPEHASH =
        keccak256("UpgradeConsent(address implementation,bytes32 dataHash,uint256 nonce,uint256 deadline)");
    uint256 public constant MAX_CATEGORIES = 16;
    uint256 public constant MAX_MONITORS = 16;
    uint256 public constant MAX_TIERS = 8;
    /// @notice The longest report period, in windows: bounds the windows a close holds collateral for.
    uint64 public constant MAX_REPORT_PERIOD_WINDOWS = 16;
    uint32 public constant BPS = 10_000;
    uint256 public constant RELEASE = 2;

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("Tollgate Intermediary");
    bytes32 private constant VERSION_HASH = keccak256("1");
    uint256 private constant SETTLED = 1 << 255;

    /// @notice A penalty tier: a window whose median availability is below `belowBps` pays `penalty`.
    struct PenaltyTier {
        uint32 belowBps;
        uint256 penalty;
    }

    /// @notice SLA terms as stored (the layout of release 1). Windows start at `start`, the channel's creation.
    struct Sla {
        uint32 targetBps;
        uint64 windowLength;
        uint64 start;
        PenaltyTier[] tiers;
        address[] monitors;
        uint8 quorum;
    }

    /// @notice SLA terms passed at creation. Same ABI as release 1's, whose `start` field is now the report
    /// period: windows always start at the channel's creation.
    struct SlaTerms {
        uint32 targetBps;
        uint64 windowLength;
        uint64 reportPeriod;
        PenaltyTier[] tiers;
        address[] monitors;
        uint8 quorum;
    }

    /// @notice Everything the factory passes at creation (the ABI of release 1's `Params`).
    struct Params {
        address owner;
        address signer;
        address payout;
        address operator;
        address token;
        uint256[] prices;
        uint64 tolerance;
        uint64 closeDelay;
        SlaTerms sla;
    }

    /// @notice One voucher of a claim: the best voucher of a category and the count claimed (≤ its count).
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

    /// @notice The mutable state in one read, for the gateway's cache (the shape of release 1's).
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
        address pendingOperator; // release 1 only: the payout's rotation, taken in startRedemption
        address pendingSigner;
        uint64 tolerance;
        uint64 closeDelay;
        uint64 activeEpoch;
        uint64 expiringEpoch; // release 2: the previous epoch, its vouchers valid until expiringUntil
        uint64 expiringUntil;
        uint64 closeAt;
        bool lastEpochStarted; // release 1 only
        bool closed;
        uint256 unredeemed;
        uint256 earnings;
        uint256 collateral;
        uint256 totalDeposited;
        uint256 upgradeNonce;
        mapping(uint64 epoch => uint256[]) prices;
        mapping(uint64 epoch => bytes32) priceTableHashes;
        mapping(uint64 epoch => address) signers;
        mapping(uint64 epoch => bool) redeemed; // release 1's finished epochs: final, never claimed again
        mapping(uint64 epoch => mapping(uint8 category => uint64)) redeemedCounts; // release 1's finished epochs
        Sla sla;
        mapping(uint64 window => bool) windowReported; // settled (release 1: reported)
        // ---- appended by release 2
        uint64 reportPeriod; // 0 on a channel from release 1: one window length
        uint64 closedAt;
        uint64 heldUntil;
        mapping(uint64 epoch => uint64) priceSource; // the epoch whose stored table this one uses (unchanged)
        mapping(uint64 window => uint256) reportMasks; // bit i: monitor i reported
        mapping(uint64 window => uint256) reportValues; // 16 bits per monitor index
        mapping(uint64 epoch => mapping(uint256 word => uint256)) claimedCounts; // claimed so far, 4 per word
    }

    // keccak256(abi.encode(uint256(keccak256("tollgate.storage.Intermediary")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x133fe902d4e4916405fc839340cff6967dee66ded6746c9dd6b4d3e225ffc200;

    // ------------------------------------------------------------------------------------------------ errors

    error ZeroAddress(string what);
    error BadPriceTable(uint256 categories);
    error BadTimes(uint64 tolerance, uint64 closeDelay);
    error BadSla(string why);
    error NotOwner(address caller);
    error NotPayout(address caller);
    error NotOperatorOrPayout(address caller);
    error NotOwnerOrPayout(address caller);
    error NotFactory(address caller);
    error ChannelClosed();
    error ChannelOpen();
    error WrongValue(uint256 expected, uint256 sent);
    error TokenDeliveredLess(uint256 asked, uint256 received);
    error EpochExpiring(uint64 epoch, uint64 until);
    error CloseIsRequested(uint64 closeAt);
    error UnknownEpoch(uint64 epoch, uint64 activeEpoch);
    error EpochRedeemed(uint64 epoch);
    error NothingToClaim();
    error DuplicateCategory(uint8 category);
    error UnknownCategory(uint8 category, uint256 categories);
    error ClaimAboveCount(uint64 claimed, uint64 count);
    error ClaimNotAbove(uint8 category, uint64 claimedBefore, uint64 claimed);
    error WrongSigner(address recovered, address expected);
    error CloseAlreadyRequested(uint64 closeAt);
    error CloseNotDue(uint64 closeAt, uint64 now_);
    error NothingToWithdraw();
    error NotARelease(address implementation);
    error ConsentExpired(uint256 deadline);
    error BadConsent(address recovered, address expected);
    error NoSla();
    error WindowNotOver(uint64 window, uint64 endsAt);
    error WindowAfterClose(uint64 window, uint64 closedAt);
    error ReportPeriodOver(uint64 window, uint64 until);
    error ReportPeriodRunning(uint64 window, uint64 until);
    error SettlementExpired(uint64 window, uint64 until);
    error WindowAlreadySettled(uint64 window);
    error MonitorAlreadyReported(uint64 window, address monitor);
    error NoReports();
    error TooFewReports(uint256 reports, uint8 quorum);
    error UnknownMonitor(address monitor);
    error DuplicateMonitor(address monitor);
    error BadAvailability(uint32 availabilityBps);
    error CollateralStillHeld(uint64 until);
    error NothingHeld();
    error TransferFailed(address to, uint256 amount);

    // ------------------------------------------------------------------------------------------------ events

    event ChannelOpened(
        address indexed owner, address indexed payout, address token, uint64 epoch, bytes32 priceTableHash
    );
    event Deposited(address indexed from, uint256 amount, uint256 unredeemed);
    event CollateralDeposited(address indexed from, uint256 amount, uint256 collateral);
    /// @notice A new epoch: `expiringEpoch`'s vouchers stay valid until `expiringUntil`.
    event EpochStarted(uint64 indexed expiringEpoch, uint64 expiringUntil, uint64 newEpoch, bytes32 priceTableHash);
    /// @notice A claim paid `amount` for `counts[c]` more requests of category c of `epoch`.
    event Claimed(uint64 indexed epoch, uint64[] counts, uint256 amount);
    event Withdrawn(address indexed payout, uint256 amount);
    event CloseRequested(uint64 closeAt);
    event Closed(address indexed by, uint256 refund, uint256 earnings);
    event SignerRotationRequested(address signer);
    event SignerRotated(uint64 indexed epoch, address signer);
    event OperatorReplaced(address indexed previous, address operator);
    event ReportAdded(uint64 indexed window, address indexed monitor, uint32 availabilityBps);
    event WindowSettled(uint64 indexed window, uint32 medianBps, uint256 reports, uint256 penalty);
    event CollateralHeld(uint256 held, uint64 until);
    event CollateralReleased(uint256 amount);
    event UpgradedWithConsent(address indexed implementation, uint256 nonce);

    // ---------------------------------------------------------------------------------------------- creation

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets the channel up; called once by the factory through the proxy. Ether sent along is the
    /// first deposit. SLA windows start now. Emits {ChannelOpened} (and {Deposited} when funded).
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
        $.prices[1] = p.prices;
        $.priceTableHashes[1] = keccak256(abi.encodePacked(p.prices));
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

    /// @notice Operator or payout: pays, for each voucher, (claimed − claimed before) × price of its category
    /// into the provider's earnings, capped at the unredeemed deposit; the epoch stays open. Any epoch up to the
    /// active one that release 1 did not finish can be claimed until the channel is closed. Emits {Claimed}.
    function claim(uint64 epoch, Redemption[] calldata vouchers) external returns (uint256 amount) {
        return _claim(msg.sender, epoch, vouchers);
    }

    /// @notice The factory, for its batch entry point: a claim on behalf of `caller` (operator or payout).
    function claimFor(address caller, uint64 epoch, Redemption[] calldata vouchers)
        external
        returns (uint256 amount)
    {
        if (msg.sender != _storage().factory) revert NotFactory(msg.sender);
        return _claim(caller, epoch, vouchers);
    }

    /// @notice Operator or payout: the active epoch starts expiring (its vouchers stay valid for T_r and it can
    /// still be claimed) and the next epoch opens with `newPrices` (stored only when they differ from the active
    /// table) and the pending signer, if any. Not after a close request. Emits {EpochStarted}.
    function startEpoch(uint256[] calldata newPrices) external {
        IntermediaryStorage storage $ = _storage();
        _onlyOperatorOrPayout($, msg.sender);
        if (newPrices.length == 0 || newPrices.length > MAX_CATEGORIES) revert BadPriceTable(newPrices.length);
        _startEpoch($, newPrices, keccak256(abi.encodePacked(newPrices)));
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

    /// @notice Owner: asks to close at now + T_c; the gateway stops accepting and claims before that time.
    /// Emits {CloseRequested}.
    function requestClose() external {
        IntermediaryStorage storage $ = _storage();
        if (msg.sender != $.owner) revert NotOwner(msg.sender);
        if ($.closed) revert ChannelClosed();
        if ($.closeAt != 0) revert CloseAlreadyRequested($.closeAt);
        $.closeAt = uint64(block.timestamp) + $.closeDelay;
        emit CloseRequested($.closeAt);
    }

    /// @notice Payout at any time, owner once the close time has come: refunds the unredeemed deposit to the
    /// owner. Of the collateral, what the windows that started before the close (the running one included) and
    /// are not settled, and whose settlement may still come, can claim (their largest penalty each) stays held until they are settled or {heldUntil}; the rest goes to the
    /// earnings. Terminal. Emits {Closed} (and {CollateralHeld}).
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
        $.closedAt = uint64(block.timestamp);
        $.unredeemed = 0;
        $.expiringEpoch = 0;
        $.expiringUntil = 0;
        (uint256 open, uint64 until) = _claimableWindows($, uint64(block.timestamp));
        uint256 held;
        if (open > 0) {
            held = _maxPenalty($.sla) * open;
            if (held > $.collateral) held = $.collateral;
        }
        $.earnings += $.collateral - held;
        $.collateral = held;
        if (held > 0) {
            $.heldUntil = until;
            emit CollateralHeld(held, until);
        }
        emit Closed(msg.sender, refund, $.earnings);
        if (refund > 0) _send($, $.owner, refund);
    }

    /// @notice Anyone, after a close: the collateral held for unsettled windows goes to the earnings once every
    /// such window is settled or its settlement time has passed ({heldUntil}). Emits {CollateralReleased}.
    function releaseCollateral() external {
        IntermediaryStorage storage $ = _storage();
        if (!$.closed) revert ChannelOpen();
        uint256 held = $.collateral;
        if (held == 0) revert NothingHeld();
        if (block.timestamp < $.heldUntil) {
            (uint256 open,) = _claimableWindows($, $.closedAt);
            if (open > 0) revert CollateralStillHeld($.heldUntil);
        }
        $.collateral = 0;
        $.earnings += held;
        emit CollateralReleased(held);
    }

    // --------------------------------------------------------------------------------------------- rotations

    /// @notice Owner: a new signer. It takes effect in a new epoch that starts now, with the same prices, when no
    /// epoch is expiring and no close was requested; otherwise with the next epoch. Emits
    /// {SignerRotationRequested} (and {EpochStarted}, {SignerRotated}).
    function rotateSigner(address newSigner) external {
        IntermediaryStorage storage $ = _storage();
        if (msg.sender != $.owner) revert NotOwner(msg.sender);
        if (newSigner == address(0)) revert ZeroAddress("signer");
        if ($.closed) revert ChannelClosed();
        $.pendingSigner = newSigner;
        emit SignerRotationRequested(newSigner);
        if ($.closeAt == 0 && block.timestamp >= $.expiringUntil) {
            uint64 active = $.activeEpoch;
            _startEpoch($, _pricesOf($, active), $.priceTableHashes[active]);
        }
    }

    /// @notice Payout: replaces the operator at once (a leaked operator key is stopped by the cold key).
    /// Emits {OperatorReplaced}.
    function replaceOperator(address newOperator) external {
        IntermediaryStorage storage $ = _storage();
        if (msg.sender != $.payout) revert NotPayout(msg.sender);
        if (newOperator == address(0)) revert ZeroAddress("operator");
        address previous = $.operator;
        $.operator = newOperator;
        $.pendingOperator = address(0);
        emit OperatorReplaced(previous, newOperator);
    }

    // ----------------------------------------------------------------------------------------------- upgrade

    /// @notice Moves the channel to `implementation`, a release registered in the factory, and calls it with
    /// `data`, with the EIP-712 consent of both owner and payout over the implementation, keccak256(data), the
    /// current nonce and the deadline. Emits {UpgradedWithConsent}.
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
        bytes32 digest = upgradeConsentDigest(implementation, keccak256(data), $.upgradeNonce, deadline);
        address byOwner = ECDSA.recover(digest, ownerConsent);
        if (byOwner != $.owner) revert BadConsent(byOwner, $.owner);
        address byPayout = ECDSA.recover(digest, payoutConsent);
        if (byPayout != $.payout) revert BadConsent(byPayout, $.payout);
        uint256 nonce = $.upgradeNonce++;
        emit UpgradedWithConsent(implementation, nonce);
        ERC1967Utils.upgradeToAndCall(implementation, data);
    }

    // --------------------------------------------------------------------------------------------------- SLA

    /// @notice Anyone, during the report period of `window` (from its end for {reportPeriod}): adds signed
    /// reports, each monitor once. Emits {ReportAdded} per report.
    function addReports(uint64 window, WindowReport[] calldata reports) external {
        IntermediaryStorage storage $ = _storage();
        Sla storage sla = $.sla;
        if (sla.monitors.length == 0) revert NoSla();
        if (reports.length == 0) revert NoReports();
        uint64 endsAt = _windowEnd(sla, window);
        if (block.timestamp < endsAt) revert WindowNotOver(window, endsAt);
        uint64 until = endsAt + _reportPeriod($);
        if (block.timestamp >= until) revert ReportPeriodOver(window, until);
        if ($.closed && endsAt - sla.windowLength >= $.closedAt) revert WindowAfterClose(window, $.closedAt);
        if ($.windowReported[window]) revert WindowAlreadySettled(window);
        uint256 mask = $.reportMasks[window];
        uint256 values = $.reportValues[window];
        for (uint256 i = 0; i < reports.length; i++) {
            uint32 availability = reports[i].availabilityBps;
            if (availability > BPS) revert BadAvailability(availability);
            address monitor = ECDSA.recover(windowReportDigest(window, availability), reports[i].signature);
            uint256 index = _monitorIndex(sla, monitor);
            if (mask & (1 << index) != 0) revert MonitorAlreadyReported(window, monitor);
            mask |= 1 << index;
            values |= uint256(availability) << (16 * index);
            emit ReportAdded(window, monitor, availability);
        }
        $.reportMasks[window] = mask;
        $.reportValues[window] = values;
    }

    /// @notice Anyone, once the report period of `window` is over (or at once when every monitor reported), and
    /// before as long again has passed: takes the median of all reports added, if at least a quorum, and pays the
    /// tier's penalty from the collateral to the consumer (into the deposit; to the owner after a close), what is
    /// left of it when short. Each window once. Emits {WindowSettled}.
    function settleWindow(uint64 window) external nonReentrant {
        IntermediaryStorage storage $ = _storage();
        Sla storage sla = $.sla;
        if (sla.monitors.length == 0) revert NoSla();
        if ($.windowReported[window]) revert WindowAlreadySettled(window);
        uint64 endsAt = _windowEnd(sla, window);
        if (block.timestamp < endsAt) revert WindowNotOver(window, endsAt);
        if ($.closed && endsAt - sla.windowLength >= $.closedAt) revert WindowAfterClose(window, $.closedAt);
        uint64 period = _reportPeriod($);
        uint256 mask = $.reportMasks[window];
        uint256 reported = _popcount(mask);
        if (block.timestamp < endsAt + period && reported < sla.monitors.length) {
            revert ReportPeriodRunning(window, endsAt + period);
        }
        if (block.timestamp >= endsAt + 2 * period) revert SettlementExpired(window, endsAt + 2 * period);
        if (reported < sla.quorum) revert TooFewReports(reported, sla.quorum);
        uint256 values = $.reportValues[window];
        uint32[] memory all = new uint32[](reported);
        uint256 n;
        for (uint256 i = 0; i < sla.monitors.length; i++) {
            if (mask & (1 << i) != 0) all[n++] = uint32((values >> (16 * i)) & 0xffff);
        }
        uint32 median = _median(all);
        uint256 penalty = _penaltyFor(sla, median);
        uint256 paid = penalty < $.collateral ? penalty : $.collateral;
        $.windowReported[window] = true;
        $.collateral -= paid;
        emit WindowSettled(window, median, reported, paid);
        if (paid == 0) return;
        if ($.closed) {
            _send($, $.owner, paid);
        } else {
            $.unredeemed += paid;
        }
    }

    // ------------------------------------------------------------------------------------------------- views

    /// @notice 2: the release this code is (release 1 has no such function).
    function release() external pure returns (uint256) {
        return RELEASE;
    }

    /// @notice The EIP-712 digest a voucher's signer signs (for clients and the gateway to compare).
    function voucherDigest(uint64 epoch, uint8 category, uint64 count, bytes32 tableHash)
        public
        view
        returns (bytes32)
    {
        return _digest(keccak256(abi.encode(VOUCHER_TYPEHASH, epoch, category, count, tableHash)));
    }

    /// @notice The EIP-712 digest a monitor signs for a window.
    function windowReportDigest(uint64 window, uint32 availabilityBps) public view returns (bytes32) {
        return _digest(keccak256(abi.encode(WINDOW_REPORT_TYPEHASH, window, availabilityBps)));
    }

    /// @notice The EIP-712 digest owner and payout sign to consent to an upgrade with migration data whose
    /// keccak256 is `dataHash`.
    function upgradeConsentDigest(address implementation, bytes32 dataHash, uint256 nonce, uint256 deadline)
        public
        view
        returns (bytes32)
    {
        return _digest(keccak256(abi.encode(UPGRADE_CONSENT_TYPEHASH, implementation, dataHash, nonce, deadline)));
    }

    /// @notice The mutable state in one call (the expiring epoch only while its vouchers are still valid).
    function state() external view returns (State memory s) {
        IntermediaryStorage storage $ = _storage();
        uint64 active = $.activeEpoch;
        s.activeEpoch = active;
        if (block.timestamp < $.expiringUntil) {
            s.expiringEpoch = $.expiringEpoch;
            s.expiringUntil = $.expiringUntil;
        }
        s.activePrices = _pricesOf($, active);
        s.activePriceTableHash = $.priceTableHashes[active];
        s.unredeemed = $.unredeemed;
        s.earnings = $.earnings;
        s.collateral = $.collateral;
        s.totalDeposited = $.totalDeposited;
        s.closeAt = $.closeAt;
        s.closed = $.closed;
        s.signer = $.signers[active];
        s.pendingSigner = $.pendingSigner;
        s.operator = $.operator;
        s.implementation = ERC1967Utils.getImplementation();
    }

    /// @notice What the consumer's vouchers may be worth in all, for the gateway's exposure check: the unredeemed
    /// deposit plus the value already claimed of the epochs from `oldestOpenEpoch` on (those release 1 did not
    /// finish). The gateway compares Σ best count × price over those epochs with `credit`.
    function credit() external view returns (uint64 oldestOpenEpoch, uint256 claimedValue, uint256 total) {
        IntermediaryStorage storage $ = _storage();
        uint64 active = $.activeEpoch;
        oldestOpenEpoch = active;
        while (oldestOpenEpoch > 1 && !$.redeemed[oldestOpenEpoch - 1]) oldestOpenEpoch--;
        if ($.redeemed[oldestOpenEpoch]) oldestOpenEpoch++;
        for (uint64 e = oldestOpenEpoch; e <= active; e++) {
            uint256[] storage prices = $.prices[$.priceSource[e] == 0 ? e : $.priceSource[e]];
            for (uint8 c = 0; c < prices.length; c++) {
                claimedValue += uint256(_claimed($, e, c)) * prices[c];
            }
        }
        total = $.unredeemed + claimedValue;
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
        return (_pricesOf($, epoch), $.priceTableHashes[epoch]);
    }

    /// @notice The signer whose vouchers count in `epoch`.
    function signerOf(uint64 epoch) external view returns (address) {
        return _storage().signers[epoch];
    }

    /// @notice The counts claimed so far for an epoch, per category, and whether release 1 finished it (then
    /// the counts it redeemed).
    function redeemedCounts(uint64 epoch) external view returns (uint64[] memory counts, bool redeemed) {
        IntermediaryStorage storage $ = _storage();
        counts = new uint64[](_pricesOf($, epoch).length);
        redeemed = $.redeemed[epoch];
        for (uint8 c = 0; c < counts.length; c++) {
            counts[c] = redeemed ? $.redeemedCounts[epoch][c] : _claimed($, epoch, c);
        }
    }

    /// @notice The SLA terms as stored (empty monitors: no SLA); windows start at `start`.
    function slaTerms() external view returns (Sla memory) {
        return _storage().sla;
    }

    /// @notice How long after a window's end reports may be added (settlement may follow for as long again).
    function reportPeriod() external view returns (uint64) {
        return _reportPeriod(_storage());
    }

    /// @notice Whether `window` was settled.
    function windowReported(uint64 window) external view returns (bool) {
        return _storage().windowReported[window];
    }

    /// @notice A window's reports so far: availability per monitor index (valid where `reportedMask` has the
    /// bit), whether it was settled, and its times.
    function windowReports(uint64 window)
        external
        view
        returns (
            uint32[] memory availabilities,
            uint256 reportedMask,
            bool settled,
            uint64 endsAt,
            uint64 reportsUntil,
            uint64 settleUntil
        )
    {
        IntermediaryStorage storage $ = _storage();
        Sla storage sla = $.sla;
        availabilities = new uint32[](sla.monitors.length);
        uint256 values = $.reportValues[window];
        for (uint256 i = 0; i < availabilities.length; i++) {
            availabilities[i] = uint32((values >> (16 * i)) & 0xffff);
        }
        reportedMask = $.reportMasks[window];
        settled = $.windowReported[window];
        if (sla.monitors.length == 0) return (availabilities, reportedMask, settled, 0, 0, 0);
        uint64 period = _reportPeriod($);
        endsAt = _windowEnd(sla, window);
        reportsUntil = endsAt + period;
        settleUntil = endsAt + 2 * period;
    }

    /// @notice After a close: until when collateral is held for unsettled windows (0: nothing held).
    function heldUntil() external view returns (uint64) {
        return _storage().heldUntil;
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

    /// @dev EIP-712 with the domain every channel is initialised with, without reading it from storage.
    function _digest(bytes32 structHash) private view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(_domain(), structHash);
    }

    function _domain() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    function _onlyOperatorOrPayout(IntermediaryStorage storage $, address caller) private view {
        if (caller != $.operator && caller != $.payout) revert NotOperatorOrPayout(caller);
    }

    function _claim(address caller, uint64 epoch, Redemption[] calldata vouchers) private returns (uint256 amount) {
        IntermediaryStorage storage $ = _storage();
        _onlyOperatorOrPayout($, caller);
        if ($.closed) revert ChannelClosed();
        if (epoch == 0 || epoch > $.activeEpoch) revert UnknownEpoch(epoch, $.activeEpoch);
        if ($.redeemed[epoch]) revert EpochRedeemed(epoch);
        if (vouchers.length == 0) revert NothingToClaim();
        uint256[] storage prices = $.prices[epoch];
        if (prices.length == 0) prices = $.prices[$.priceSource[epoch]];
        uint64[] memory counts = new uint64[](prices.length);
        // read once for all vouchers of the claim
        ClaimContext memory context = ClaimContext(
            _domain(), $.priceTableHashes[epoch],
            $.signers[epoch]
        );
        uint256 value;
        uint256 seen;
        for (uint256 i = 0; i < vouchers.length; i++) {
            Redemption calldata v = vouchers[i];
            if (v.category >= prices.length) revert UnknownCategory(v.category, prices.length);
            if (seen & (1 << v.category) != 0) revert DuplicateCategory(v.category);
            seen |= 1 << v.category;
            uint64 more = _claimOne($, epoch, v, context);
            counts[v.category] = more;
            value += uint256(more) * prices[v.category];
        }
        uint256 unredeemed = $.unredeemed;
        amount = value < unredeemed ? value : unredeemed;
        $.unredeemed = unredeemed - amount;
        $.earnings += amount;
        emit Claimed(epoch, counts, amount);
    }

    /// @dev What every voucher of one claim is checked against: the EIP-712 domain, the epoch's table and signer.
    struct ClaimContext {
        bytes32 domain;
        bytes32 tableHash;
        address signer;
    }

    /// @dev Checks one voucher of a claim and records its claimed count; returns how many requests it adds.
    function _claimOne(IntermediaryStorage storage $, uint64 epoch, Redemption calldata v, ClaimContext memory context)
        private
        returns (uint64)
    {
        if (v.claimed > v.count) revert ClaimAboveCount(v.claimed, v.count);
        uint64 before = _claimed($, epoch, v.category);
        if (v.claimed <= before) revert ClaimNotAbove(v.category, before, v.claimed);
        bytes32 digest = MessageHashUtils.toTypedDataHash(
            context.domain, keccak256(abi.encode(VOUCHER_TYPEHASH, epoch, v.category, v.count, context.tableHash))
        );
        address recovered = ECDSA.recover(digest, v.signature);
        if (recovered != context.signer) revert WrongSigner(recovered, context.signer);
        uint256 shift = 64 * (v.category % 4);
        mapping(uint256 => uint256) storage words = $.claimedCounts[epoch];
        uint256 word = words[v.category / 4];
        words[v.category / 4] = (word & ~(uint256(type(uint64).max) << shift)) | (uint256(v.claimed) << shift);
        return v.claimed - before;
    }

    /// @dev The count claimed so far in (epoch, category): four categories share a storage word, so a claim of
    /// k categories writes ⌈k/4⌉ slots.
    function _claimed(IntermediaryStorage storage $, uint64 epoch, uint8 category) private view returns (uint64) {
        return uint64($.claimedCounts[epoch][category / 4] >> (64 * (category % 4)));
    }

    function _startEpoch(IntermediaryStorage storage $, uint256[] memory newPrices, bytes32 tableHash) private {
        if ($.closed) revert ChannelClosed();
        if ($.closeAt != 0) revert CloseIsRequested($.closeAt);
        if (block.timestamp < $.expiringUntil) revert EpochExpiring($.expiringEpoch, $.expiringUntil);
        uint64 expiring = $.activeEpoch;
        uint64 until = uint64(block.timestamp) + $.tolerance;
        uint64 next = expiring + 1;
        $.expiringEpoch = expiring;
        $.expiringUntil = until;
        $.activeEpoch = next;
        $.priceTableHashes[next] = tableHash;
        if (tableHash == $.priceTableHashes[expiring]) {
            uint64 source = $.priceSource[expiring];
            $.priceSource[next] = source == 0 ? expiring : source;
        } else {
            $.prices[next] = newPrices;
        }
        address pending = $.pendingSigner;
        if (pending != address(0)) {
            $.signers[next] = pending;
            $.pendingSigner = address(0);
            emit SignerRotated(next, pending);
        } else {
            $.signers[next] = $.signers[expiring];
        }
        emit EpochStarted(expiring, until, next, tableHash);
    }

    function _pricesOf(IntermediaryStorage storage $, uint64 epoch) private view returns (uint256[] memory) {
        uint64 source = $.priceSource[epoch];
        return $.prices[source == 0 ? epoch : source];
    }

    function _setSla(IntermediaryStorage storage $, SlaTerms calldata sla) private {
        if (sla.monitors.length == 0) return;
        if (sla.monitors.length > MAX_MONITORS) revert BadSla("too many monitors");
        if (sla.quorum == 0 || sla.quorum > sla.monitors.length || 2 * uint256(sla.quorum) <= sla.monitors.length) {
            revert BadSla("quorum is not a majority");
        }
        if (sla.windowLength == 0) revert BadSla("window length is zero");
        if (sla.reportPeriod == 0 || sla.reportPeriod > MAX_REPORT_PERIOD_WINDOWS * sla.windowLength) {
            revert BadSla("report period not 1s-16 windows");
        }
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
        stored.start = uint64(block.timestamp);
        stored.quorum = sla.quorum;
        stored.monitors = sla.monitors;
        $.reportPeriod = sla.reportPeriod;
        for (uint256 i = 0; i < sla.tiers.length; i++) {
            if (sla.tiers[i].belowBps > BPS) revert BadSla("tier above 10000 bps");
            stored.tiers.push(sla.tiers[i]);
        }
    }

    function _reportPeriod(IntermediaryStorage storage $) private view returns (uint64) {
        uint64 period = $.reportPeriod;
        return period == 0 ? $.sla.windowLength : period;
    }

    function _windowEnd(Sla storage sla, uint64 window) private view returns (uint64) {
        return sla.start + (window + 1) * sla.windowLength;
    }

    /// @dev The windows that started before `at` (the one running at `at` included: a close does not cut a bad
    /// window short) that are not settled and may still be (settlement until 2 report periods after the end),
    /// and the latest time one of them may be settled.
    function _claimableWindows(IntermediaryStorage storage $, uint64 at)
        private
        view
        returns (uint256 open, uint64 until)
    {
        Sla storage sla = $.sla;
        if (sla.monitors.length == 0 || at <= sla.start) return (0, 0);
        uint64 span = 2 * _reportPeriod($);
        uint64 last = (at - sla.start - 1) / sla.windowLength; // the last window that started before `at`
        for (uint64 w = last;; w--) {
            uint64 endsAt = _windowEnd(sla, w);
            if (endsAt + span <= block.timestamp) break; // this one's settlement time has passed, and earlier ones'
            if (!$.windowReported[w]) {
                open++;
                if (endsAt + span > until) until = endsAt + span;
            }
            if (w == 0) break;
        }
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

    function _popcount(uint256 mask) private pure returns (uint256 n) {
        while (mask != 0) {
            mask &= mask - 1;
            n++;
        }
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

    /// @dev The largest penalty of any tier: what one unsettled window may claim at most.
    function _maxPenalty(Sla storage sla) private view returns (uint256 penalty) {
        for (uint256 i = 0; i < sla.tiers.length; i++) {
            if (sla.tiers[i].penalty > penalty) penalty = sla.tiers[i].penalty;
        }
    }
}
